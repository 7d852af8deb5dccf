"""Every error is JSON: `{"message": ...}` with the right status code, never an HTML page."""

import requests
from flask import jsonify
from werkzeug.exceptions import HTTPException, InternalServerError

from app import app


@app.errorhandler(HTTPException)
def handle_http_error(error):
    """Turn abort(...) and Flask's own errors (404, 405, 415, ...) into a JSON answer."""
    # get_response() keeps the headers the error needs, e.g. Allow on 405, Retry-After on 503.
    response = error.get_response()
    response.data = jsonify(message=error.description).get_data()
    response.content_type = "application/json"
    return response


@app.errorhandler(Exception)
def handle_unexpected_error(error):
    """A bug must not leak a traceback to the client: log it, answer a plain 500."""
    app.logger.exception("Unhandled error")
    return handle_http_error(InternalServerError())


@app.errorhandler(requests.Timeout)
def github_too_slow(error):
    """GitHub did not answer within GITHUB_TIMEOUT seconds: 504, with a JSON message."""
    seconds = app.config["GITHUB_TIMEOUT"]
    return jsonify(message=f"GitHub did not answer within {seconds:g} seconds."), 504


@app.errorhandler(requests.RequestException)
def github_unreachable(error):
    """No answer from GitHub at all (refused, dropped, broken): 502, with a JSON message."""
    return jsonify(message="Could not connect to GitHub. Please try again later."), 502
