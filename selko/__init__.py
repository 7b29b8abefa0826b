"""Selko: requirement documents in, tagged requirements out."""

from selko.celery import app as celery_app

__all__ = ("celery_app",)
