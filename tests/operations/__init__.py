"""Tests of `operations`."""
