"""Tests of `publishing`."""
