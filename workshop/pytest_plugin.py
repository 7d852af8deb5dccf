"""pytest plugin of the kit (`-p workshop.pytest_plugin` in pyproject.toml): hooks for every test,
notebooks included. Fixtures for the ordinary tests live in tests/conftest.py."""

import os

import pytest

# Where GitHub requests go, and the token: settings a test may leave behind in this process.
UPSTREAM_SETTINGS = ("GITHUB_API_URL", "GITHUB_TOKEN")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Start every notebook's kernel without inherited GitHub settings.

    nbval's kernel inherits this process's environment. A GITHUB_API_URL left by an earlier
    test points at a GitHub double that test has already stopped; without it, the notebook
    starts its own double, with a fresh rate-limit budget, exactly as in class.
    """
    if item.path.suffix == ".ipynb":
        for name in UPSTREAM_SETTINGS:
            os.environ.pop(name, None)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist (`-n auto`): send each test file to one worker, and a folder of notebooks too.

    Tests in one file share its module fixtures (a JupyterHub, a built course), so they stay
    together, as in xdist's own `--dist loadfile`. A folder of notebooks shares one
    `workspace/` (lesson N starts from the files lesson N-1 wrote), so the whole folder runs in
    one worker, in order, while other folders and test files run on the other CPUs.
    """
    from xdist.scheduler import LoadScopeScheduling

    class FilesAndNotebookFolders(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = nodeid.split("::", 1)[0]
            return file.rpartition("/")[0] + "/*.ipynb" if file.endswith(".ipynb") else file

    return FilesAndNotebookFolders(config, log)


def pytest_collection_modifyitems(items):
    """nbval compares each lesson cell with its stored outputs, kept-away ones included.

    A lesson keeps the outputs that would answer a student (Predict, check and solution cells)
    in the cell's metadata, where JupyterLab shows nothing (workshop/authoring/student_view.py);
    strict nbval must still compare the run against them, so they go back to `outputs` here, in
    the collected copy only: the file is not changed.
    """
    from workshop.authoring.student_view import restore_outputs

    for item in items:
        cell = getattr(item, "cell", None)
        if cell is not None and item.path.suffix == ".ipynb":
            restore_outputs(cell)
