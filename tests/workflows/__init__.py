"""Tests of `workflows`."""
