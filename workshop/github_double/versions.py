"""REST API versions (the X-GitHub-Api-Version header): which ones exist and what they change."""

from __future__ import annotations

DEFAULT = "2022-11-28"  # what GitHub selects when a request names no version
SUPPORTED = ("2026-03-10", DEFAULT)  # most recent first, as GitHub lists them
DOCS_VERSIONS = "https://docs.github.com/rest/about-the-rest-api/api-versions"
# Response fields that version 2026-03-10 removes from the answers the double serves
# (GitHub's OpenAPI description, `x-github-breaking-changes`).
REMOVED = {"2026-03-10": frozenset({"has_downloads", "use_squash_pr_title_as_default",
                                    "master_branch", "authorizations_url", "hub_url",
                                    "rate"})}


def select(requested: str | None) -> str | None:
    """The version to answer in, or None when GitHub would refuse the request."""
    if requested is None:
        return DEFAULT
    return requested if requested in SUPPORTED else None


def refusal(requested: str) -> str:
    """GitHub's 400 message for a version it does not support."""
    listed = ", ".join(f'"{version}"' + (" (most recent)" if i == 0 else "")
                       for i, version in enumerate(SUPPORTED))
    return (f'The version you specified in the "X-GitHub-Api-Version" request header, '
            f'"{requested}", is not a supported version. The following versions are currently '
            f"supported: {listed}.")


def adapt(body, version: str):
    """`body` as `version` shapes it: the fields that version removed are left out."""
    removed = REMOVED.get(version)
    if not removed:
        return body
    return _without(body, removed)


def _without(value, removed: frozenset):
    if isinstance(value, dict):
        return {key: _without(item, removed) for key, item in value.items()
                if key not in removed}
    if isinstance(value, list):
        return [_without(item, removed) for item in value]
    return value
