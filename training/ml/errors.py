"""Errors raised by the ML core.

Every error names the offending thing (label, example index, file) because the message is shown as-is to
users who are not ML engineers, in the job log and in the API.
"""


class MLError(Exception):
    """Base class: anything the ML core refuses to do, with a message a user can act on."""


class LabelTreeError(MLError):
    """The label tree is malformed: a cycle, an unknown parent, an empty or duplicated key."""


class UnknownLabelError(MLError):
    """An example refers to a label that is not in the tree."""


class DataError(MLError):
    """The training or evaluation data cannot be used: no examples, empty texts, contradictions."""


class ConfigError(MLError):
    """A setting has a value that cannot work (for example a base model folder that does not exist)."""


class ArtifactError(MLError):
    """A model artifact folder is missing, incomplete or corrupted."""


class TrainingCancelled(MLError):
    """`should_stop()` returned True; training stopped and nothing was written."""
