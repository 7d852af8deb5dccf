"""Flask, live: the helper package the lessons import (its front door: what lessons call).

    from workshop import serve, show, load_app, catch_up, github_api_url

Public API (one screen):
- serve(app, name="app", port=None) -> Server  background server; re-run safe
  server.get(path), server.post(path)           real HTTP requests to it
  server.print_log(last=20)                     its log: requests, real tracebacks (stable text)
- stop_all()                                    stop every background server
- load_app(workspace="workspace")               import the student's `app` fresh
  load_app(traceback=True)                      the real traceback instead of the short message
- %%add_to FILE                                 cell magic: add or replace definitions in FILE
- catch_up(lesson)                              write a lesson's start state, backing up edits
- restore(backup=None)                          bring back a backup made by catch_up
- show(response)                                readable, deterministic HTTP exchange
  show(response, headers="all")                 every header, in the order received
  show(response, raw=True)                      the exchange as received (volatile values fixed)
- link(server, path="/")                        a link that works locally and on JupyterHub
- explorer(server), inspector(server)           ipywidgets (workshop.runtime.widgets)
- github_api_url()                              where GitHub requests go; starts the double
- double()                                      the in-process GitHub double's controls
- stuck(), done()                               on a hub: a sticky note on the class view
  share_progress(False)                         opt out of the class view (deletes your data)
"""

from importlib import import_module

from workshop.runtime.server import Server, running_servers, serve, stop_all

# Heavier parts load on first use, so `import workshop` stays fast and works before every
# module exists.
_LAZY = {
    "load_app": "workshop.runtime.workspace",
    "catch_up": "workshop.runtime.catchup",
    "restore": "workshop.runtime.catchup",
    "show": "workshop.runtime.display",
    "link": "workshop.runtime.links",
    "explorer": "workshop.runtime.widgets",
    "inspector": "workshop.runtime.widgets",
    "github_api_url": "workshop.runtime.github_api",
    "double": "workshop.runtime.github_api",
    "stuck": "workshop.runtime.progress",
    "done": "workshop.runtime.progress",
    "share_progress": "workshop.runtime.progress",
}

__all__ = ["Server", "running_servers", "serve", "stop_all", *_LAZY]


def __getattr__(name):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'workshop' has no attribute {name!r}")


def _register_magics() -> None:
    """`import workshop` in a notebook makes the `%%add_to FILE` cell magic available."""
    import sys

    ipython_module = sys.modules.get("IPython")  # never import IPython outside a notebook
    ipython = ipython_module.get_ipython() if ipython_module else None
    if ipython is not None:
        from workshop.runtime.add_to import register

        register(ipython)


_register_magics()
