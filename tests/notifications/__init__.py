"""Tests of `notifications`."""
