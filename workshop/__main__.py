"""`python -m workshop COMMAND`: every command of the kit, whatever sub-package holds it.

The layout inside workshop/ may change; these names stay (README and INSTRUCTOR.md use them).
"""

import sys
from importlib import import_module

# command -> (module with a `main(argv)`, who runs it, what it does)
COMMANDS = {
    "doctor": ("workshop.classroom.doctor", "students", "pre-flight check before class"),
    "double": ("workshop.github_double.__main__", "anyone", "serve the GitHub double"),
    "bench": ("workshop.classroom.bench.__main__", "maintainers", "speed report (not a test)"),
    "shared-double": ("workshop.classroom.hub.shared_double", "the hub",
                      "one GitHub double for a whole hub"),
    "class-view": ("workshop.classroom.hub.class_view.service", "the hub, instructors",
                   "the live class view; `forget` deletes a class's data"),
    "execute": ("workshop.authoring.execute", "authors", "re-run notebooks, store outputs"),
    "exercises": ("workshop.authoring.exercises", "authors", "write exercises/ from solutions/"),
    "pictures": ("workshop.authoring.pictures", "authors", "draw notebooks/images/"),
    "slides": ("workshop.authoring.slides", "authors", "export the decks to offline HTML"),
    "student-view": ("workshop.authoring.student_view", "authors",
                     "fold answers in lessons and exercises"),
    "navigation": ("workshop.authoring.navigation", "authors", "rewrite lessons' nav lines"),
}


def usage() -> str:
    lines = ["usage: python -m workshop COMMAND [options]", ""]
    lines += [f"  {name:<14} {who:<12} {what}" for name, (_, who, what) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    command, *rest = argv or ["help"]
    if command not in COMMANDS:
        print(usage())
        return 2
    status = import_module(COMMANDS[command][0]).main(rest)
    return status or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
