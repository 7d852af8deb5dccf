"""The API's endpoints: each view checks its input, asks GitHub, and answers with JSON."""

from flask import abort, jsonify, render_template

from app import app
from app.github import ask_github, github_url, list_repo_names, read_json
from app.validation import check_repo_name, check_user_id, read_json_body, read_num_repos


@app.route("/")
def render_home():
    """The demo page."""
    return render_template("demo_page.html")


@app.route("/users/<user_id>", methods=["GET"])
def get_user(user_id):
    """The GitHub profile of `user_id`."""
    upstream = ask_github(github_url("users", user_id))
    return jsonify(read_json(upstream))


@app.route("/users/<user_id>/repos/<repo_name>", methods=["GET"])
def get_repository(user_id, repo_name):
    """One repository of `user_id`."""
    upstream = ask_github(github_url("repos", user_id, repo_name))
    return jsonify(read_json(upstream))


@app.route("/users/<user_id>/count-repos", methods=["POST"])
def count_repos(user_id):
    """How many public repositories `user_id` has: the profile says, in one request."""
    user = read_json(ask_github(github_url("users", user_id)))
    number_of_repos = user.get("public_repos")
    if isinstance(number_of_repos, bool) or not isinstance(number_of_repos, int):
        abort(502, "GitHub's answer has no public_repos count.")
    return jsonify(number_of_repos=number_of_repos)


@app.route("/users/<user_id>/get-n-repos-alphabetically", methods=["POST"])
def get_n_repos_alphabetically(user_id):
    """The first `num_repos` names of `user_id`'s repositories, in alphabetical order."""
    num_repos = read_num_repos(read_json_body())
    # We sort ourselves instead of trusting GitHub's order; casefold() makes "b" and "B" equal,
    # so "apple", "Banana", "cherry" come out in the order a person expects.
    repo_names = sorted(list_repo_names(user_id), key=str.casefold)
    return jsonify(repo_names=repo_names[:num_repos])


@app.url_value_preprocessor
def check_names(endpoint, values):
    """Check the names in every URL against GitHub's rules, before any view runs."""
    if values and "user_id" in values:  # values is None when no view matched (404, 405)
        check_user_id(values["user_id"])
    if values and "repo_name" in values:
        check_repo_name(values["repo_name"])
