"""The class view as a JupyterHub-managed service: the page, its JSON and the report endpoint.

JupyterHub starts it from `c.JupyterHub.services` (see `classroom/hub/jupyterhub_config.py`)
and routes `/services/class-view/` to it. Who may do what is the hub's RBAC:

- the page and `api/state` need `access:services!service=class-view` (a role gives it to the
  `instructors` group); a browser logs in through the hub's OAuth, anyone else gets 403;
- `POST api/report` and `DELETE api/me` take a user's own token (`JUPYTERHUB_API_TOKEN` of
  their server): a report is always about the token's owner, never about someone else.

    python -m workshop class-view serve  --folder /srv/class-view   (the hub runs this)
    python -m workshop class-view forget --folder /srv/class-view   (delete the class's data)
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import secrets
from importlib.resources import files
from urllib.parse import urlparse

from tornado import web
from tornado.httpserver import HTTPServer

from workshop.classroom.hub.class_view.course import your_turns
from workshop.classroom.hub.class_view.store import BadReport, Store, validate

MAX_BODY = 4096  # bytes: a report is about 120


class JSONErrors(web.RequestHandler):
    """Every error is a JSON `{"message": ...}`, never an HTML page or a traceback."""

    def write_error(self, status_code: int, **kwargs) -> None:
        error = kwargs.get("exc_info", (None, None))[1]
        message = getattr(error, "log_message", None) or self._reason
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"message": message}))


def _hub_handler(name: str, base: type) -> type:
    """A handler class mixing in the hub's OAuth login (imported late: the hub's package)."""
    from jupyterhub.services.auth import HubOAuthenticated

    return type(name, (HubOAuthenticated, base), {})


class Instructors:
    """What the page's handlers share: 403 as JSON for anyone without the service's scope."""

    def initialize(self, store: Store, course: dict, hub_auth) -> None:
        self.store, self.course, self.hub_auth = store, course, hub_auth


class PageHandler(Instructors, JSONErrors):
    @web.authenticated  # not logged in: the hub's OAuth; logged in without the scope: 403
    def get(self) -> None:
        """The grid of students × your-turns; the page's script fills it from api/state."""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy",
                        "default-src 'self'; style-src 'unsafe-inline'; "
                        "script-src 'unsafe-inline'")
        # The page's script fetches api/state with the cookie; the hub's OAuth accepts a
        # cookie on a fetch only with this XSRF token beside it.
        xsrf = html.escape(self.xsrf_token.decode("ascii")).encode("ascii")
        page = files("workshop.classroom.hub.class_view").joinpath("page.html").read_bytes()
        self.write(page.replace(b"__XSRF_TOKEN__", xsrf))


class StateHandler(Instructors, JSONErrors):
    def get(self) -> None:
        """The current lesson's grid as JSON (the page polls it every second)."""
        if not self.current_user:
            raise web.HTTPError(403, "the class view is for the instructors group")
        lesson = self.get_argument("lesson", None) or None
        self.set_header("Cache-Control", "no-store")
        self.write(self.store.state(lesson, self.course))


class StudentHandler(JSONErrors):
    """A student's own server token, checked with the hub; cookies are never enough here."""

    def initialize(self, store: Store, course: dict, hub_auth) -> None:
        self.store, self.hub_auth = store, hub_auth

    async def student(self) -> str:
        token = self.hub_auth.get_token(self, in_cookie=False)
        model = await self.hub_auth.user_for_token(token, sync=False) if token else None
        if not model or model.get("kind", "user") != "user":
            raise web.HTTPError(403, "report with your own server's token "
                                     "(JUPYTERHUB_API_TOKEN), as workshop's checks do")
        return model["name"]

    async def post(self) -> None:
        """Record one report about the token's owner."""
        name = await self.student()
        try:
            body = json.loads(self.request.body or b"null")
        except ValueError:
            raise web.HTTPError(400, "the body is not JSON") from None
        if isinstance(body, dict) and body.get("student", name) != name:
            raise web.HTTPError(403, f"you can only report about yourself ({name})")
        try:
            report = validate(body)
        except BadReport as problem:
            raise web.HTTPError(400, str(problem)) from None
        self.store.add(name, report)
        self.write({"recorded": True})

    async def delete(self) -> None:
        """Forget every report about the token's owner (opting out)."""
        name = await self.student()
        self.write({"deleted": self.store.forget(name)})


class NotFound(JSONErrors):
    def prepare(self) -> None:
        raise web.HTTPError(404, "no such page: the class view is at this service's root")


def make_app(store: Store, course: dict, prefix: str, hub_auth=None) -> web.Application:
    """The tornado application under `prefix` (e.g. /services/class-view/)."""
    from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler

    # The singleton: the OAuth callback handler finds the same state (PKCE verifier) in it.
    auth = hub_auth or HubOAuth.instance(cache_max_age=60)
    shared = {"store": store, "course": course, "hub_auth": auth}
    page = _hub_handler("Page", PageHandler)
    state = _hub_handler("State", StateHandler)
    return web.Application([
        (prefix, page, shared),
        (prefix + "api/state", state, shared),
        (prefix + "api/report", StudentHandler, shared),
        (prefix + "api/me", StudentHandler, shared),
        (prefix + "oauth_callback", HubOAuthCallbackHandler),
    ], default_handler_class=NotFound, cookie_secret=secrets.token_bytes(32),
        login_url=auth.login_url)


def kit_course() -> dict[str, list[str]]:
    """The your-turns of the kit's lessons and exercises (empty if installed without them)."""
    from workshop.paths import KIT_ROOT

    return your_turns(KIT_ROOT / "notebooks", KIT_ROOT / "exercises")


async def serve(folder: str, ip: str | None = None) -> None:
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/class-view/")
    app = make_app(Store(folder), kit_course(), prefix)
    server = HTTPServer(app, max_body_size=MAX_BODY)
    address = ip or url.hostname or "127.0.0.1"  # the service's URL on one machine
    server.listen(url.port or 80, address=address)
    print(f"class view: listening on {address}:{url.port}, data in {folder}", flush=True)
    await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["serve", "forget"])
    parser.add_argument("--folder", default="class-view",
                        help="the service's own folder (its SQLite file lives here)")
    parser.add_argument("--student", help="forget: only this student's reports")
    parser.add_argument("--ip", help="serve: listen here instead of the service URL's host "
                                     "(Kubernetes: 0.0.0.0 in the hub's pod)")
    args = parser.parse_args(argv)
    if args.command == "forget":
        deleted = Store(args.folder).forget(args.student)
        print(f"deleted {deleted} reports from {args.folder}")
        return
    try:
        asyncio.run(serve(args.folder, args.ip))
    except KeyboardInterrupt:
        pass
