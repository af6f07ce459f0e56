"""The one error every run-file problem raises: a message naming the file and what is wrong."""

from __future__ import annotations


class RunFileError(ValueError):
    """A run file that cannot be used: the message names the file and the problem."""


# ---------------------------------------------------------------- writing
