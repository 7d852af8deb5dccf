"""`python -m workshop.github_double --port 8001`: serve the double until Ctrl-C."""

from __future__ import annotations

import argparse
import sys

from werkzeug.serving import WSGIRequestHandler, make_server

from workshop.github_double.app import create_app
from workshop.github_double.settings import Settings


class QuietHandler(WSGIRequestHandler):
    """A request handler that does not log each request."""

    def log_request(self, code="-", size="-"):
        pass


def parse(argv: list[str]) -> argparse.Namespace:
    """Command-line options; each behaviour switch also reads a GITHUB_DOUBLE_* variable."""
    parser = argparse.ArgumentParser(prog="python -m workshop.github_double",
                                     description="Serve the offline GitHub API double.")
    parser.add_argument("--port", type=int, default=8001, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1",
                        help="127.0.0.1 (default) keeps it private to this machine")
    parser.add_argument("--latency-ms", type=float)
    parser.add_argument("--rate-limit", type=int)
    parser.add_argument("--fault", help='"500" (any 5xx), "hang", "malformed", "drop", '
                        '"429", "secondary" or "secondary-429" (see README.md)')
    parser.add_argument("--quiet", action="store_true", help="no request log on stderr")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Serve in the foreground; print the URL first so scripts can read it."""
    args = parse(sys.argv[1:] if argv is None else argv)
    overrides = {name: value for name, value in
                 (("latency_ms", args.latency_ms), ("rate_limit", args.rate_limit),
                  ("fault", args.fault)) if value is not None}
    try:
        settings = Settings.from_env(**overrides)
    except ValueError as problem:  # one line that says what to fix, not a traceback
        print(f"python -m workshop.github_double: {problem}", file=sys.stderr)
        return 2
    app = create_app(settings)
    handler = QuietHandler if args.quiet else None
    server = make_server(args.host, args.port, app, threaded=True, request_handler=handler)
    url = f"http://{args.host}:{server.server_port}"
    print(f"GitHub double on {url}  (export GITHUB_API_URL={url})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
