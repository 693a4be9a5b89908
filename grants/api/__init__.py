"""The JSON API under /api, for other systems (and the tests): the same domain functions
and permissions as the pages, told as JSON with a Japanese ``detail`` and a stable ``code``."""
