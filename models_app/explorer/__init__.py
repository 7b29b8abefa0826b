"""The requirements explorer: filter, sort and act on requirements across all documents of a project."""
