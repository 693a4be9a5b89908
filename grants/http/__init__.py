"""What the two ways in (``grants.api`` and ``grants.web``) share over HTTP, so that neither
imports the other: a request's units of work, the parameters that name rows and pages, and
file downloads."""
