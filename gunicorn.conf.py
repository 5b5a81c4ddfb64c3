# gunicorn settings for `make run`; override with GUNICORN_CMD_ARGS or HOUTAI_BIND / HOUTAI_WORKERS.
import os

bind = os.environ.get("HOUTAI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("HOUTAI_WORKERS", "2"))
worker_class = "sync"
timeout = 60
control_socket_disable = True
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'  # path without query string: no search terms in logs
