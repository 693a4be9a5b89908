"""Midori Tokyo grant workflow engine: the domain and the application."""
