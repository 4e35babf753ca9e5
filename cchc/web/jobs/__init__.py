"""Heavy work off the request: jobs queued on Django's tasks API, their progress and files.

A `Job` row is what the person sees (state, progress, the file, a Vietnamese error);
the task queue (django-tasks' database backend, `db_worker`) only runs it. See docs/jobs.md.
"""
