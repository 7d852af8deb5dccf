"""Safe file handling for the student's workspace: what counts as inside it."""

from __future__ import annotations

import os


def inside(path: str | os.PathLike, folder: str | os.PathLike) -> bool:
    """True when `path`, with symlinks and `..` resolved, is `folder` or lies under it."""
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)
