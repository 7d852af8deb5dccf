"""Cut the double's contract out of GitHub's OpenAPI description (redo after an update).

    cd "$(mktemp -d)" && npm pack @octokit/openapi && tar xzf octokit-openapi-*.tgz
    python tests/github_double/openapi/extract.py package/generated/api.github.com.json

Keeps the GET operations the double serves and every component they reference, so the
contract test runs offline from a small file instead of the 13 MB description.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OPERATIONS = ["/", "/rate_limit", "/users/{username}", "/users/{username}/repos",
              "/repos/{owner}/{repo}"]
# Error responses GitHub describes for other operations: the test holds undeclared statuses
# (400, 403, 5xx) of these operations to them.
EXTRA_RESPONSES = ["bad_request", "forbidden", "internal_error", "service_unavailable"]
# The examples the double serves as recorded.
EXAMPLES = ["root"]
REF = re.compile(r'"#/components/(\w+)/([^"]+)"')


def referenced(spec: dict, start) -> dict[str, dict]:
    """Every component reachable from `start`, by section (schemas, responses, ...)."""
    found: dict[str, dict] = {}
    todo = [start]
    while todo:
        for section, name in REF.findall(json.dumps(todo.pop())):
            if name not in found.setdefault(section, {}):
                found[section][name] = spec["components"][section][name]
                todo.append(found[section][name])
    return found


def subset(spec: dict) -> dict:
    """A valid OpenAPI document with only what the double needs."""
    paths = {}
    for path in OPERATIONS:
        operation = {key: value for key, value in spec["paths"][path]["get"].items()
                     if key not in {"x-octokit", "requestBody"}}
        # Examples are large and not part of the contract; schemas are.
        for response in operation["responses"].values():
            for media in response.get("content", {}).values():
                media.pop("examples", None)
        paths[path] = {"get": operation}
    extras = {"responses": {name: spec["components"]["responses"][name]
                            for name in EXTRA_RESPONSES},
              "examples": {name: spec["components"]["examples"][name] for name in EXAMPLES}}
    components = referenced(spec, [paths, extras])
    for section, items in extras.items():
        components.setdefault(section, {}).update(items)
    return {
        "openapi": spec["openapi"],
        "info": {"title": spec["info"]["title"], "version": spec["info"]["version"],
                 "license": spec["info"]["license"]},
        "servers": spec["servers"],
        "paths": paths,
        "components": {section: dict(sorted(items.items()))
                       for section, items in sorted(components.items())},
    }


def main(argv: list[str]) -> None:
    source = Path(argv[0])
    spec = json.loads(source.read_text(encoding="utf-8"))
    out = HERE / "api.github.com.subset.json"
    out.write_text(json.dumps(subset(spec), indent=1, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    print(f"wrote {out} from {source} (version {spec['info']['version']})")


if __name__ == "__main__":
    main(sys.argv[1:])
