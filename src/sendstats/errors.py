"""Errors a user can cause. Each message names the file / field / parameter and what was expected."""


class SendstatsError(Exception):
    """Base class: the CLI prints the message (no traceback) and exits non-zero."""


class DataError(SendstatsError):
    """A raw or processed data file is missing, corrupt, or not in the expected shape."""

    def __init__(self, path, problem, *, where=None):
        self.path, self.problem, self.where = str(path), problem, where
        loc = f"{self.path}" + (f" [{where}]" if where else "")
        super().__init__(f"{loc}: {problem}")


class ParameterError(SendstatsError, ValueError):
    """A bad argument or notebook parameter."""
