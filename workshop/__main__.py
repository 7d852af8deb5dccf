"""`python -m workshop doctor` (pre-flight check), `python -m workshop double` (GitHub double)."""

import sys


def main(argv: list[str]) -> int:
    command, *rest = argv or ["help"]
    if command == "doctor":
        from workshop.doctor import main as doctor

        return doctor(rest)
    if command == "double":
        from workshop.github_double.__main__ import main as double

        return double(rest)
    print("usage: python -m workshop doctor | double [--port N]")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
