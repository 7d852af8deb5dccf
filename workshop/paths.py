"""The kit's folders and files, computed once: every module that needs a path imports it here."""

from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = KIT_ROOT / "notebooks"  # the lessons
DEMO_CODE = KIT_ROOT / "demo_code"  # the finished reference app the lessons build
SLIDES = KIT_ROOT / "slides"
SOLUTIONS = KIT_ROOT / "solutions"
EXERCISES = KIT_ROOT / "exercises"
IMAGES = NOTEBOOKS / "images"
SANITIZE = KIT_ROOT / "sanitize.cfg"  # nbval's list of outputs that may differ, with reasons
