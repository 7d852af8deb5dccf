"""workshop.runtime.tracebacks: real tracebacks as text that reads the same on every machine."""

from __future__ import annotations

import os
import sysconfig

import flask

from workshop.runtime.tracebacks import clean, format_exception, shown_path


def test_paths_read_the_same_on_every_machine(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert shown_path(str(tmp_path / "workspace" / "app.py")) == "workspace/app.py"
    assert shown_path(flask.__file__) == "<site-packages>/flask/__init__.py"
    assert shown_path(os.path.join(sysconfig.get_paths()["stdlib"], "socket.py")) == (
        "<stdlib>/socket.py")
    assert shown_path("<frozen importlib._bootstrap>") == "<frozen importlib._bootstrap>"
    assert shown_path(str(tmp_path / "ws" / "a.py"), tmp_path / "ws", "mine") == "mine/a.py"


def test_chained_exceptions_addresses_and_markers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def inner():
        raise KeyError(object())

    try:
        try:
            inner()
        except KeyError as error:
            raise ValueError("bad input") from error
    except ValueError as error:
        text = format_exception(error)
    lines = text.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[-1] == "ValueError: bad input"
    assert "The above exception was the direct cause of the following exception:" in lines
    assert "KeyError: <object object>" in lines  # no memory address
    assert not any(line.strip() and set(line.strip()) <= set("^~") for line in lines)


def test_clean_fixes_text_from_elsewhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = (f'  File "{tmp_path}/workspace/app/routes.py", line 3, in index\n'
            "    return 1 / 0\n           ~~^~~\nZeroDivisionError: division by zero")
    assert clean(text) == ('  File "workspace/app/routes.py", line 3, in index\n'
                           "    return 1 / 0\nZeroDivisionError: division by zero")
