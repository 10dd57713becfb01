"""Errors a user can cause. Each message names the file / field / parameter and what was expected."""

MAX_SHOWN = 200  # characters of one value shown in a message


def shorten(value, limit: int = MAX_SHOWN) -> str:
    """A value as a message shows it: cut in the middle, with its length, when longer than ``limit``."""
    text = str(value)
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}...{text[-half:]} ({len(text):,} characters)"


class SendstatsError(Exception):
    """Base class: the CLI prints the message (no traceback) and exits non-zero. A message is at most a few
    hundred characters: a long value in it is cut (:func:`shorten`)."""

    def __str__(self):
        return shorten(super().__str__(), 4 * MAX_SHOWN)


class DataError(SendstatsError):
    """A raw or processed data file is missing, corrupt, or not in the expected shape."""

    def __init__(self, path, problem, *, where=None):
        self.path, self.problem, self.where = str(path), problem, where
        loc = shorten(self.path) + (f" [{shorten(where)}]" if where else "")
        super().__init__(f"{loc}: {problem}")


class ParameterError(SendstatsError, ValueError):
    """A bad argument or notebook parameter."""
