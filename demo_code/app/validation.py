"""Check what the client sent *before* we ask GitHub, so bad input never leaves our server."""

import re

from flask import abort, request

# GitHub's rules, from its documentation and its sign-up and new-repository pages (GitHub
# publishes no regular expression, so these two are ours): a username has 1 to 39 letters,
# digits or single hyphens and does not start or end with a hyphen; a repository name has 1 to
# 100 letters, digits, `.`, `-` or `_`.
USER_ID_PATTERN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
REPO_NAME_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,100}")
MAX_NUM_REPOS = 100


def read_json_body():
    """Return the request's JSON object, or stop with 400/415 if there is none."""
    try:
        body = request.get_json()  # Flask answers 415 or 400 for a missing or broken body
    except RecursionError:  # e.g. [[[[...]]]] nested deeper than Python's json module can read
        abort(400, "The request body is nested too deeply.")
    if not isinstance(body, dict):
        abort(400, "The request body must be a JSON object, e.g. {\"num_repos\": 5}.")
    return body


def read_num_repos(body):
    """Return `num_repos` from the JSON body: a whole number from 1 to 100."""
    num_repos = body.get("num_repos")
    if num_repos is None:
        abort(400, "Missing num_repos: send a JSON body like {\"num_repos\": 5}.")
    # bool is a subclass of int in Python (True == 1), so it is ruled out by name.
    if isinstance(num_repos, bool) or not isinstance(num_repos, int):
        abort(400, "num_repos must be a whole number, e.g. 5 (not a string or a decimal).")
    if not 1 <= num_repos <= MAX_NUM_REPOS:
        abort(400, f"num_repos must be between 1 and {MAX_NUM_REPOS}.")
    return num_repos


def check_user_id(user_id):
    """Stop the request with 400 unless `user_id` follows GitHub's username rules."""
    if not isinstance(user_id, str) or not USER_ID_PATTERN.fullmatch(user_id):
        abort(400, "Invalid user_id: a GitHub username has 1 to 39 characters (letters, "
                   "digits and single hyphens) and does not start or end with a hyphen.")


def check_repo_name(repo_name):
    """Stop the request with 400 unless `repo_name` follows GitHub's repository name rules."""
    if not isinstance(repo_name, str) or not REPO_NAME_PATTERN.fullmatch(repo_name):
        abort(400, "Invalid repo_name: a GitHub repository name has 1 to 100 characters "
                   "(letters, digits, '.', '-' and '_').")
    # `.` and `..` would change the meaning of the upstream URL; GitHub strips `.git` itself.
    if repo_name in {".", ".."} or repo_name.lower().endswith(".git"):
        abort(400, "Invalid repo_name: it may not be '.' or '..' or end with '.git'.")
