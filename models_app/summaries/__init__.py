"""A document's gist with the project's tags: the documents' summary plus counts by label."""
