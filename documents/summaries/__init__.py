"""Summaries of a document: its most central sentences (stored at ingest) and the counts that matter."""
