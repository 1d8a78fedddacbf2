"""gunicorn entry for the bench: the real app plus the bare insert endpoint it is compared with."""

import gc

from app import create_app
from bench.bare_insert import register

app = create_app()
register(app)
gc.freeze()  # as wsgi.py does
