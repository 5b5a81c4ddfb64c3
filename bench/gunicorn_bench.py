# gunicorn settings for the bench: the project's gunicorn.conf.py, with the access log switched off.
# (gunicorn cannot turn a config file's access log off from the command line.) run.sh passes
# --bind and --log-level warning; HOUTAI_WORKERS (run.sh sets 2) keeps the worker count explicit.
import os
import runpy

_project = runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gunicorn.conf.py"))
globals().update({k: v for k, v in _project.items() if not k.startswith("_") and k not in ("os",)})

accesslog = None
loglevel = "warning"
