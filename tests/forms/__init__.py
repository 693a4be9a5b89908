"""Tests of `forms`."""
