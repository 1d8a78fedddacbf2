"""WSGI entry for gunicorn: `gunicorn -c gunicorn.conf.py wsgi:app`.

Behind a reverse proxy (nginx, see deploy/) set BEHIND_PROXY=1 so the client's address (login rate
limit, audit) and https come from X-Forwarded-For / X-Forwarded-Proto of that one proxy."""

import gc
import os

from werkzeug.middleware.proxy_fix import ProxyFix

from app import create_app

app = create_app()
# The app's ~300,000 long-lived objects (models, schemas, routes, catalogues) would otherwise be
# walked by every full garbage collection, a 150–190 ms pause landing on some unlucky request.
gc.freeze()
if os.environ.get("BEHIND_PROXY") == "1":
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
