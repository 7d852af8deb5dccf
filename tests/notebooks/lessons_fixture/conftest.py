"""These notebooks are data for `catch_up(..., lessons_dir=...)`, not notebooks to run."""

collect_ignore_glob = ["*.ipynb"]
