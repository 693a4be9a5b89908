"""How notices leave the outbox: by e-mail (``email``); the in-app inbox reads the outbox
itself."""
