"""Celery workers as the operator sees them: idle shutdown, heartbeats, the workers page's data."""
