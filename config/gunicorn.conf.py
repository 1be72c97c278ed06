"""Gunicorn settings for a deployment: ``gunicorn -c config/gunicorn.conf.py config.wsgi`` behind a buffering
reverse proxy (nginx), which holds the browsers' keep-alive connections and slow uploads.

Sync workers, one more than the cores. The pages and API are CPU-bound Python (a few ms of SQL against ~8 ms of
Python a page), so threads inside a worker only queue on the interpreter lock: on this 2-core machine 4 workers ×
4 threads spent ~12 ms of CPU per inbox page against ~9.7 ms for sync workers, and a busy thread kept its
keep-alive client waiting while other workers idled. One FIFO accept queue shared by sync workers serves 20
clients evenly (bench/RESULTS.md, issue 3: inbox page p95 275 → 124 ms at the same load).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "sync"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
# Exports of a year's items and bulletin documents take seconds, not minutes; a stuck request is killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
# The proxy in front retries nothing; a client that waits in the accept queue is served in arrival order.
backlog = 2048
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
