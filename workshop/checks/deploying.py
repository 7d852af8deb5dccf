"""Checks for lesson 10: settings from the environment."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import requests

from workshop.checks._core import (
    NotYet,
    brief,
    check,
    config_value,
    environment_variable,
    step,
    workspace_app,
)

SERVER_WAIT = 10.0  # seconds a just-started waitress may take to answer


@check
def server_settings(settings_from) -> str:
    """Exercise 15: host, port and threads come from the environment, with safe defaults."""
    defaults = settings_from({})
    if not isinstance(defaults, dict):
        raise NotYet(f"server_settings({{}}) returned {defaults!r}, expected a dict")
    if defaults.get("host") != "127.0.0.1":
        raise NotYet(f"default host is {defaults.get('host')!r}: which address keeps the "
                     "server on this computer unless someone asks for more?")
    if defaults.get("port") != 5001:
        raise NotYet(f"default port is {defaults.get('port')!r}, expected the number 5001")
    shell = settings_from({"HOST": "my-laptop"})  # tcsh sets HOST to the computer's name
    if shell.get("host") != "127.0.0.1":
        raise NotYet(f"with the shell's HOST=my-laptop the host became {shell.get('host')!r}: "
                     "read DEMO_HOST, a name only our app uses")
    custom = settings_from({"DEMO_HOST": "0.0.0.0", "PORT": "8080", "THREADS": "8"})
    want = {"host": "0.0.0.0", "port": 8080, "threads": 8}
    if {key: custom.get(key) for key in want} != want:
        raise NotYet(f"with DEMO_HOST/PORT/THREADS set got {custom}, expected {want} "
                     "(are the numbers int?)")
    return "defaults 127.0.0.1:5001; DEMO_HOST, PORT and THREADS honoured, numbers as int"


def _load_with(workspace: str, database: str | None):
    """The workspace app imported fresh with DATABASE set to `database` (None: unset)."""
    with environment_variable("DATABASE", database):
        return workspace_app(workspace)


@check
def database_setting(workspace: str = "workspace") -> str:
    """Lesson 10: DATABASE comes from the environment, else a file in the instance folder."""
    return _database_from_environment(workspace)


def _database_from_environment(workspace: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        chosen = os.path.join(folder, "data.sqlite3")
        if config_value(_load_with(workspace, chosen), "DATABASE") != chosen:
            raise NotYet("with the DATABASE environment variable set, app.config['DATABASE'] "
                         "does not use it: read it from os.environ")
    app = _load_with(workspace, None)
    default = config_value(app, "DATABASE")
    if not isinstance(default, str) or Path(default) != Path(app.instance_path,
                                                               "favourites.sqlite3"):
        raise NotYet("without DATABASE set, app.config['DATABASE'] should still be "
                     "favourites.sqlite3 in app.instance_path: give os.environ.get a default")
    return "DATABASE from the environment; unset, favourites.sqlite3 in the instance folder"


def _first_answer(url: str) -> requests.Response:
    """The first answer from `url`, asked until a just-started server answers, or NotYet."""
    step("the server did not answer", seconds=SERVER_WAIT + 10)
    deadline = time.monotonic() + SERVER_WAIT
    while True:
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise NotYet(f"nothing answered on port {url.split(':')[2].split('/')[0]} within "
                             f"{SERVER_WAIT:g} s: did waitress start? Run the command in a "
                             "terminal, in workspace/, to see its error") from None
            time.sleep(0.1)


@check
def waitress_serving(port, settings, workspace: str = "workspace") -> str:
    """Lesson 10: DATABASE from the environment, and waitress serving the app on `port` with the
    DATABASE of `settings`."""
    _database_from_environment(workspace)
    database = settings.get("DATABASE") if isinstance(settings, dict) else None
    if not isinstance(database, str):
        raise NotYet(f"settings is {brief(settings)}: make it a dict whose DATABASE is the path "
                     "of a file in a new folder")
    response = _first_answer(f"http://127.0.0.1:{port}/favourites")
    server = response.headers.get("Server", "")
    if "waitress" not in server.lower():
        raise NotYet(f"the server on that port says {brief(server or 'nothing')} in its Server "
                     "header, not waitress: start python -m waitress")
    if response.status_code != 200:
        raise NotYet(f"waitress answered GET /favourites with {response.status_code}: does it "
                     "serve server:app, from workspace/?")
    if not os.path.exists(database):
        raise NotYet("waitress answers, but not from settings' DATABASE (no file there after a "
                     "request): give Popen an environment with settings in it (env=...)")
    return ("DATABASE from the environment; waitress serves the app, with the DATABASE in "
            "settings")
