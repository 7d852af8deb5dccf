"""The Flask app: created once, configured from the environment, routes attached at the end."""

import math
import os
import re
from contextlib import suppress

from flask import Flask
from flask_cors import CORS
from werkzeug.middleware.proxy_fix import ProxyFix

# The page is a Jinja template (render_template fills in its url_for links) and lives in the
# same folder as its JavaScript and CSS, which Flask serves as static files.
app = Flask(__name__, template_folder="../frontend", static_folder="../frontend")
app.config["TEMPLATES_AUTO_RELOAD"] = True  # an edited page is served without a restart
app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024  # our JSON bodies are tiny: a larger one is 413
app.json.sort_keys = False  # keep fields in the order GitHub (or our code) wrote them

# From the environment: the double in class, the real GitHub at home, without a code change.
github_api_url = os.environ.get("GITHUB_API_URL", "https://api.github.com")
app.config["GITHUB_API_URL"] = github_api_url.rstrip("/")  # we add the "/" in each URL
app.config["GITHUB_TOKEN"] = os.environ.get("GITHUB_TOKEN", "").strip()  # secret: never print it


def seconds_from_environment(name, default):
    """The environment variable `name` as seconds above 0; any other value stops the app."""
    text = os.environ.get(name, default)
    with suppress(ValueError):  # text that is not a number: refused below
        if 0 < float(text) < math.inf:  # refuses 0, negative numbers, inf and nan
            return float(text)
    raise SystemExit(f"Error: {name} must be a number of seconds above 0, not {text!r}")


app.config["GITHUB_TIMEOUT"] = seconds_from_environment("GITHUB_TIMEOUT", "10")
app.config["GITHUB_MAX_PAGES"] = 10  # at most 10 pages of 100 repositories per request
# Deployed, the data must outlive the server: DATABASE puts it where the platform keeps files;
# in class and at home it stays in the instance folder.
app.config["DATABASE"] = os.environ.get(
    "DATABASE", os.path.join(app.instance_path, "favourites.sqlite3")
)

# CORS (Cross-Origin Resource Sharing) lets a page from another origin call this API from the
# browser. Our own page needs no CORS at all (same origin), so we allow only the origins we
# name instead of every website on the internet.
local_origins = "http://127.0.0.1:5001,http://localhost:5001"
cors_origins = os.environ.get("CORS_ORIGINS", local_origins).split(",")
CORS(app, origins=[origin.strip() for origin in cors_origins if origin.strip()])

# Behind jupyter-server-proxy the page lives at /user/<name>/proxy/5001/: the proxy strips
# that prefix and names it in the X-Forwarded-Prefix header. Anyone can send that header,
# though: "//evil.example" would make the page load its script from another site. So we accept
# only a plain path: "/" then letters, digits and . _ ~ % @ + -, with "/" between them.
PATH_PREFIX = re.compile(r"(/[A-Za-z0-9._~%@+-]+)+/?")


def ignore_unsafe_prefix(wsgi_app):
    """Wrap the app so that an X-Forwarded-Prefix that is not a plain path is dropped."""

    def app_with_safe_prefix(environ, start_response):
        prefix = environ.get("HTTP_X_FORWARDED_PREFIX")
        if prefix is not None and not PATH_PREFIX.fullmatch(prefix):
            del environ["HTTP_X_FORWARDED_PREFIX"]
        return wsgi_app(environ, start_response)

    return app_with_safe_prefix


# ProxyFix reads the (checked) prefix, so url_for() builds links that work under it.
app.wsgi_app = ignore_unsafe_prefix(ProxyFix(app.wsgi_app, x_prefix=1))

# These modules need the `app` object above, so they are imported last: importing them at
# the top would be a circular import (they import `app` from this package).
from app import errors, favourites, routes  # noqa: E402, F401
