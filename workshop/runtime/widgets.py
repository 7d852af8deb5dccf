"""Two ipywidgets for the lessons: `explorer(server)` calls the app, `inspector(server)` watches it.

Both talk to the running server over real HTTP (never Flask's test client), so what students see
is what a browser would get. Their text repr is fixed, so notebooks stay stable under nbval.
"""

from __future__ import annotations

import html
from urllib.parse import quote

import ipywidgets as widgets
import requests

from workshop.runtime.display import format_exchange
from workshop.runtime.server import RequestRecord, Server, running_servers

# (button label, method, path template, sends {"num_repos": n}) — the reference app's API.
ENDPOINTS = {
    "user": ("GET /users/<user>", "GET", "/users/{user}", False),
    "repo": ("GET /users/<user>/repos/<repo>", "GET", "/users/{user}/repos/{repo}", False),
    "count": ("POST count-repos", "POST", "/users/{user}/count-repos", False),
    "first_n": ("POST get-n-repos-alphabetically", "POST",
                "/users/{user}/get-n-repos-alphabetically", True),
}
INSPECTOR_ROWS = 20


def _current(server: Server) -> Server:
    """`server`, or the server that replaced it after its cell was re-run (same name)."""
    if server.running:
        return server
    return running_servers().get(server.name, server)


class Explorer(widgets.VBox):
    """Inputs for user, repository and n, a button per endpoint, and the answer below."""

    def __init__(self, server: Server, user: str = "octocat", repo: str = "Hello-World",
                 n: int = 3):
        self.server = server
        self.user = widgets.Text(value=user, description="user")
        self.repo = widgets.Text(value=repo, description="repo")
        self.n = widgets.BoundedIntText(value=n, min=0, max=100, description="n")
        self.buttons = {}
        for key, (label, *_) in ENDPOINTS.items():
            button = widgets.Button(description=label, layout=widgets.Layout(width="auto"))
            button.on_click(lambda _button, key=key: self.call(key))
            self.buttons[key] = button
        self.result = widgets.HTML(value="<pre>(press a button)</pre>")
        self.result.add_class("workshop-explorer-result")
        super().__init__([
            widgets.HBox([self.user, self.repo, self.n]),
            widgets.HBox(list(self.buttons.values())),
            self.result,
        ])

    def call(self, key: str) -> requests.Response | None:
        """Send the request behind button `key` and show the exchange; return the response."""
        _label, method, template, with_n = ENDPOINTS[key]
        path = template.format(user=quote(self.user.value.strip(), safe=""),
                               repo=quote(self.repo.value.strip(), safe=""))
        kwargs = {"json": {"num_repos": self.n.value}} if with_n else {}
        try:
            response = _current(self.server).request(method, path, **kwargs)
        except requests.RequestException as error:
            self.text = f"{method} {path}\n\nNo answer from the server: {type(error).__name__}"
            return None
        self.text = format_exchange(response)
        return response

    @property
    def text(self) -> str:
        """The exchange shown in the output area, as plain text."""
        return html.unescape(self.result.value.removeprefix("<pre>").removesuffix("</pre>"))

    @text.setter
    def text(self, value: str) -> None:
        self.result.value = f"<pre>{html.escape(value)}</pre>"

    def close(self) -> None:
        """Close the widget with its parts (their callbacks refer back to it)."""
        _close_tree(self)

    def __repr__(self) -> str:
        return f"<explorer for {self.server!r}>"


class Inspector(widgets.VBox):
    """A live table of the server's recent requests: method, path, status, milliseconds."""

    def __init__(self, server: Server, rows: int = INSPECTOR_ROWS):
        self.server, self.rows = server, rows
        self.live = widgets.Checkbox(value=True, description="live", indent=False)
        refresh = widgets.Button(description="refresh")
        refresh.on_click(lambda _button: self.refresh())
        self.table = widgets.HTML()
        super().__init__([widgets.HBox([refresh, self.live]), self.table])
        # The server calls back after each request; held weakly, dropped on close().
        server.subscribe(self._on_request)
        self.refresh()

    def _on_request(self, _record: RequestRecord) -> None:
        if self.live.value:
            self.refresh()

    def records(self) -> list[RequestRecord]:
        """The most recent requests, oldest first."""
        return list(self.server.requests)[-self.rows:]

    def refresh(self) -> None:
        """Redraw the table from `server.requests`."""
        # Method and path are whatever a client sent: anything that reaches the port could
        # otherwise put markup (and script) into JupyterLab's page. Escape every field.
        cells = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(field))}</td>"
                             for field in (r.method, r.path, r.status))
            + f"<td style='text-align:right'>{html.escape(f'{r.ms:.1f}')}</td></tr>"
            for r in self.records()
        )
        head = "<tr><th>method</th><th>path</th><th>status</th><th>ms</th></tr>"
        self.table.value = f"<table>{head}{cells}</table>"

    @property
    def text(self) -> str:
        """The table as plain text (timings left out: they differ on every run)."""
        return "\n".join(f"{r.method} {r.path} -> {r.status}" for r in self.records())

    def close(self) -> None:
        """Stop listening to the server and close the widget with its parts."""
        self.server.unsubscribe(self._on_request)
        _close_tree(self)

    def __repr__(self) -> str:
        return f"<inspector for {self.server!r}>"


def _close_tree(widget: widgets.Widget) -> None:
    for child in getattr(widget, "children", ()):
        _close_tree(child)
    widgets.Widget.close(widget)


def explorer(server: Server, **inputs) -> Explorer:
    """A widget to call the reference app's endpoints on `server` and read the answers."""
    return Explorer(server, **inputs)


def inspector(server: Server, rows: int = INSPECTOR_ROWS) -> Inspector:
    """A widget listing the latest requests `server` answered, updated as they arrive."""
    return Inspector(server, rows=rows)
