"""The JSON API under /api: what the web pages, the tests and other systems use."""
