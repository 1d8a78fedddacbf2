"""gunicorn settings. Flask-SocketIO allows one worker per process; in threading mode each open
websocket holds a thread, so `threads` bounds the phones one process serves at once. To use more
cores, run several processes (one per port, see deploy/) behind nginx with sticky sessions and
REDIS_URL set, so Socket.IO messages reach every process.

The app writes one JSON line per request itself (blueprints/request_log.py); gunicorn's own access
log is off unless ACCESS_LOG is set (a path, or - for stderr)."""

import os

bind = os.environ.get("BIND", "0.0.0.0:5000")
worker_class = "gthread"
workers = 1  # Flask-SocketIO: never more than one per process
threads = int(os.environ.get("THREADS", "100"))
timeout = 60
graceful_timeout = 20
keepalive = 75  # behind nginx's upstream keepalive, longer than nginx keeps an idle connection
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
