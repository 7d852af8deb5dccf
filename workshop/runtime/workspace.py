"""`load_app()`: import the student's `app` package from `workspace/`, fresh every time.

Why not a plain `import app`? Python caches modules, so after `%%writefile workspace/app/routes.py`
a second `import app` would still run the old code. `load_app` forgets the old modules first,
and turns a broken file into one short message instead of a page of traceback
(`load_app(traceback=True)` prints the real traceback instead).
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from traceback import extract_tb
from unittest import mock

from workshop.runtime.files import inside
from workshop.runtime.github_api import github_api_url
from workshop.runtime.tracebacks import format_exception

# Top-level module names that live in a lesson workspace (`server.py`, the `app` package).
WORKSPACE_MODULES = ("app", "server")

# Folders this module put on sys.path, so a later call with another workspace can remove them.
_added_paths: list[str] = []


def load_app(workspace: str | os.PathLike = "workspace", traceback: bool = False):
    """Import `workspace/app` fresh and return its Flask `app`, or None with a short message.

    With `traceback=True` a broken file prints Python's real traceback instead of the short
    message: every frame from the first workspace file on, workspace paths as given
    (`workspace/app/routes.py`), no memory addresses, no `^^^` markers (they differ between
    Python versions), so the output is the same on every machine (see workshop.runtime.tracebacks).
    """
    github_api_url()  # set GITHUB_API_URL before the student's app reads it at import
    folder = Path(workspace).resolve()
    shown = Path(workspace).as_posix().rstrip("/")
    if not (folder / "app" / "__init__.py").is_file():
        lesson = _current_lesson()
        print(
            f"No app yet in {shown}/app/__init__.py — run workshop.catch_up({lesson}) to get "
            f"the files from the start of lesson {lesson}."
        )
        return None
    _forget_workspace_modules(folder)
    _put_first_on_path(folder)
    # Bytecode caches compare the source's mtime in whole seconds: an edit within the same
    # second could run stale code. Not writing (and dropping) them rules that out.
    _drop_bytecode(folder)
    previous, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        with _no_app_run():
            package = importlib.import_module("app")
            app = getattr(package, "app", None)
            if app is None and callable(getattr(package, "create_app", None)):
                app = package.create_app()
    except Exception as error:  # student code: any error becomes one readable message
        if traceback:
            print(format_exception(error, folder, shown,
                                   start=lambda name: inside(Path(name), folder)))
        else:
            print(_short_error(error, folder, shown))
        return None
    finally:
        sys.dont_write_bytecode = previous
    if app is None:
        print(f"{shown}/app/__init__.py has no `app` yet — it should create one with "
              "`app = Flask(__name__)`.")
    return app


@contextmanager
def _no_app_run():
    """Make `app.run()` at import an error: it would serve forever and block the kernel."""
    from flask import Flask

    def refuse(app, *args, **kwargs):
        raise RuntimeError("app.run() starts a server that never returns, so the kernel would "
                           "wait forever: remove it (the lessons serve the app with "
                           "workshop.serve)")

    with mock.patch.object(Flask, "run", refuse):
        yield


def _current_lesson() -> str:
    """The lesson number from the notebook's name (JupyterLab sets JPY_SESSION_NAME), or N."""
    name = Path(os.environ.get("JPY_SESSION_NAME", "")).name
    match = re.match(r"(\d+)-", name)
    return str(int(match.group(1))) if match else "N"


def _forget_workspace_modules(folder: Path) -> None:
    """Drop `app`, `app.*`, `server` and anything else imported from the workspace."""
    for name, module in list(sys.modules.items()):
        top = name.partition(".")[0]
        file = getattr(module, "__file__", None) or ""
        if top in WORKSPACE_MODULES or (file and inside(Path(file), folder)):
            del sys.modules[name]
    importlib.invalidate_caches()


def _put_first_on_path(folder: Path) -> None:
    """Put this workspace first on sys.path, removing workspaces added earlier."""
    for path in _added_paths:
        while path in sys.path:
            sys.path.remove(path)
    _added_paths[:] = [str(folder)]
    sys.path.insert(0, str(folder))


def _drop_bytecode(folder: Path) -> None:
    for cache in folder.rglob("__pycache__"):
        if not inside(cache, folder / "instance"):
            shutil.rmtree(cache, ignore_errors=True)


def _short_error(error: Exception, folder: Path, shown: str) -> str:
    """`file, line N: message` for the deepest frame in the workspace, plus that line."""
    def where(filename: str) -> str:
        try:
            return f"{shown}/{Path(filename).resolve().relative_to(folder).as_posix()}"
        except ValueError:
            return filename

    kind = type(error).__name__
    # Messages like "partially initialized module ... (/home/me/kit/notebooks/workspace/...)"
    # name absolute paths: show them relative, so outputs match on every machine.
    message = str(error).replace(str(folder), shown)
    if isinstance(error, SyntaxError) and error.filename:
        lines = [f"{kind} in {where(error.filename)}, line {error.lineno}: {error.msg}"]
        if error.text:
            text = error.text.rstrip("\n")
            lines.append(f"    {text.strip()}")
            if error.offset:
                indent = len(text) - len(text.lstrip())
                lines.append("    " + " " * max(error.offset - 1 - indent, 0) + "^")
        return "\n".join(lines)
    frames = [f for f in extract_tb(error.__traceback__)
              if inside(Path(f.filename), folder)]
    if not frames:
        return f"Could not import the app: {kind}: {message}"
    frame = frames[-1]
    lines = [f"{kind} in {where(frame.filename)}, line {frame.lineno}: {message}"]
    if frame.line:
        lines.append(f"    {frame.line.strip()}")
    return "\n".join(lines)
