"""The test suite: one test per rule of the spec, named after it."""
