"""The label tree of a project: labels with descriptions, their services, reads, file formats and API."""
