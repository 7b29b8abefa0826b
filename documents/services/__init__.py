"""Writes for documents, one module per job: upload, ingest, re-ingest and delete, statistics."""
