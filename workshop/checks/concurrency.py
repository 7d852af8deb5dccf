"""Checks for lesson 11: two upstream requests at once."""

from __future__ import annotations

import inspect
import threading

from flask import Flask

from workshop.checks._core import NotYet, check, client, explain, json_of, step


def overlap_upstream(timeout: float = 2.0):
    """A fake GitHub whose two endpoints answer only while both are requested at the same time."""
    barrier = threading.Barrier(2, timeout=timeout)
    seen: dict = {"overlapped": True}
    app = Flask("overlap_upstream")

    def meet():
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            seen["overlapped"] = False

    @app.get("/users/<user_id>")
    def user(user_id):
        """The user, once the repository request has arrived too."""
        meet()
        return {"login": user_id, "public_repos": 2}

    @app.get("/users/<user_id>/repos")
    def repos(user_id):
        """Two repositories, once the user request has arrived too."""
        meet()
        return [{"name": "alpha"}, {"name": "beta"}]

    return app, seen


@check
def concurrent_profile(app: Flask) -> str:
    """Exercise 16: an async view fetches the user and the repositories at the same time."""
    from workshop import serve

    view = app.view_functions.get("profile")
    if view is None or not inspect.iscoroutinefunction(view):
        raise NotYet("the view is a plain function: how is a view written that may await?")
    fake, seen = overlap_upstream()
    server = serve(fake, name="exercise-upstream")
    real_url = app.config.get("GITHUB_API_URL")
    app.config["GITHUB_API_URL"] = server.url.rstrip("/")
    outcome: dict = {}

    def call():
        # Flask runs an async view with asgiref's async_to_sync, which refuses a thread that
        # already has a running event loop, as the kernel's main thread does: use a worker.
        try:
            outcome["response"] = client(app).get("/users/octocat/profile")
        except Exception as error:  # noqa: BLE001 (reported below as a hint)
            outcome["error"] = error

    worker = threading.Thread(target=call, daemon=True)
    # Two upstream requests in a row wait for each other's barrier: allow for that, then some.
    step("your view did not answer GET /users/octocat/profile", seconds=30)
    try:
        worker.start()
        worker.join(30)
    finally:
        app.config["GITHUB_API_URL"] = real_url
        server.stop()
    if not seen["overlapped"]:
        raise NotYet("the two upstream requests ran one after the other: how can both be "
                     "in flight before you wait for either?")
    if "response" not in outcome:
        raise NotYet(explain(outcome.get("error", TimeoutError("no answer within 30 s"))))
    response = outcome["response"]
    data = json_of(response, "GET /users/octocat/profile")
    want = {"login": "octocat", "repos": ["alpha", "beta"]}
    if data != want:
        raise NotYet(f"GET /users/octocat/profile sent {data}, expected {want}")
    return "both upstream requests were in flight at once, and the answer combines them"
