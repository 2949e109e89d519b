"""The schedule room: daily briefings posted to channels on time, at most once.

``spec`` says when (daily or cron, in a time zone), ``sources`` where the articles come
from, ``runner`` makes one run (claim, collect, brief, deliver), ``digest`` is the value
the adapters render, and ``jobs`` wires it all to APScheduler.
"""
