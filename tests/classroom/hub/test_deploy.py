"""The hub configs the instructor's guide gives are the repository's files, and they work.

TLJH's config file is loaded the way TLJH loads it (`load_subconfig` from its own config), the
kernel settings are read back from a single-user server made the way `jupyterhub-singleuser`
makes it, and the Zero to JupyterHub values are checked against the chart's schema.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import stat
import subprocess
import sys

try:
    import tomllib
except ImportError:  # Python 3.10: pip vendors the same parser
    from pip._vendor import tomli as tomllib

import jsonschema
import pytest
import yaml
from conftest import ROOT
from packaging.requirements import Requirement
from packaging.version import Version
from traitlets.config.loader import PyFileConfigLoader

from workshop.classroom.hub.shared_double import (
    KEY_VARIABLE,
    SECRET_VARIABLE,
    VARIABLE,
    student_key,
)

GUIDE = ROOT / "slides" / "INSTRUCTOR.md"
TLJH_FILE = ROOT / "workshop" / "classroom" / "hub" / "tljh" / "flask-live.py"
VALUES_FILE = ROOT / "workshop" / "classroom" / "hub" / "z2jh" / "values.yaml"
SINGLEUSER = ROOT / "workshop" / "classroom" / "hub" / "singleuser"
# Where the guide puts the kit: a clone on TLJH, repo2docker's --target-repo-dir on Z2JH.
KIT_PATHS = ("/opt/flask-live/", "/srv/flask-live/")
# The JupyterHub each Zero to JupyterHub chart runs (appVersion in the chart's Chart.yaml).
CHART_HUB = {"4.4.0": "5.5.0"}

# Part of the chart's values schema (values.schema.yaml of chart 4.4.0), copied by hand for the
# keys the guide sets: the chart is published on neither PyPI nor npm, so it cannot be
# vendored from a registry. Each level refuses unknown keys, as the chart's schema does.
K8S_QUANTITY = {"type": ["number", "string", "null"]}
CHART_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "singleuser": {
            "type": "object", "additionalProperties": False,
            "properties": {
                "image": {"type": "object", "additionalProperties": False,
                          "required": ["name", "tag"],
                          "properties": {"name": {"type": "string"}, "tag": {"type": "string"}}},
                "defaultUrl": {"type": ["string", "null"]},
                "memory": {"type": "object", "additionalProperties": False,
                           "properties": {"limit": K8S_QUANTITY, "guarantee": K8S_QUANTITY}},
                "cpu": {"type": "object", "additionalProperties": False,
                        "properties": {"limit": {"type": ["number", "null"]},
                                       "guarantee": {"type": ["number", "null"]}}},
                "extraEnv": {"type": ["object", "array"]},
                "lifecycleHooks": {"type": "object", "additionalProperties": False,
                                   "properties": {"postStart": {"type": "object"},
                                                  "preStop": {"type": "object"}}},
                "networkPolicy": {
                    "type": "object", "additionalProperties": False,
                    "properties": {
                        "enabled": {"type": "boolean"},
                        "allowedIngressPorts": {"type": "array"},
                        "egressAllowRules": {
                            "type": "object", "additionalProperties": False,
                            "properties": {name: {"type": "boolean"} for name in (
                                "cloudMetadataServer", "dnsPortsCloudMetadataServer",
                                "dnsPortsKubeSystemNamespace", "dnsPortsPrivateIPs",
                                "nonPrivateIPs", "privateIPs")}}}},
            },
        },
        "hub": {"type": "object", "additionalProperties": False,
                "properties": {"config": {"type": "object"}}},
        "cull": {"type": "object", "additionalProperties": False,
                 "properties": {"enabled": {"type": "boolean"},
                                "timeout": {"type": ["integer", "null"]}}},
    },
}


def quoted_blocks() -> list[str]:
    """Every fenced code block of the guide, as text."""
    return re.findall(r"^```[a-z]*\n(.*?)^```$", GUIDE.read_text(encoding="utf-8"),
                      flags=re.DOTALL | re.MULTILINE)


def in_repo(path: str):
    """A path the guide's configs use on the hub, as a path in this repository."""
    prefix = next(p for p in KIT_PATHS if path.startswith(p))
    return ROOT / path.removeprefix(prefix)


def gigabytes(quantity: str) -> float:
    """A Kubernetes or TLJH memory quantity ("768M", "1G", "400Mi") in GB."""
    number, unit = re.fullmatch(r"([\d.]+)([A-Za-z]*)", str(quantity)).groups()
    scale = {"": 1e-9, "K": 1e-6, "M": 1e-3, "G": 1, "Ki": 2**10 / 1e9, "Mi": 2**20 / 1e9,
             "Gi": 2**30 / 1e9}[unit]
    return float(number) * scale


@pytest.mark.parametrize("path", [TLJH_FILE, VALUES_FILE], ids=lambda p: p.name)
def test_the_guide_quotes_each_file_verbatim(path):
    assert path.read_text(encoding="utf-8") in quoted_blocks()


@pytest.fixture
def tljh_config(tmp_path, monkeypatch):
    """The hub config as TLJH builds it: its own settings, then each jupyterhub_config.d file."""
    state = tmp_path / "state"  # TLJH's hub runs in its state folder (WorkingDirectory)
    state.mkdir()
    monkeypatch.chdir(state)
    main = tmp_path / "jupyterhub_config.py"
    main.write_text(
        "c = get_config()\n"
        "c.JupyterHub.services = [{'name': 'cull-idle', 'admin': True, 'command': ['true']}]\n"
        f"load_subconfig({str(TLJH_FILE)!r})\n", encoding="utf-8")
    return PyFileConfigLoader(main.name, path=str(tmp_path)).load_config(), state


def test_the_tljh_file_adds_the_double_run_by_nobody_and_keys_per_student(tljh_config):
    from jupyterhub.app import JupyterHub
    from jupyterhub.spawner import LocalProcessSpawner

    config, state = tljh_config
    secret_file = state / "flask-live-double-secret"
    secret = secret_file.read_text()
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600 and len(secret) == 64
    services = JupyterHub(config=config).services
    # TLJH's own service kept, then the kit's two.
    assert [s["name"] for s in services] == ["cull-idle", "github-double", "class-view"]
    double = services[1]
    assert double["user"] == "nobody" and pwd.getpwnam("nobody")  # not root
    assert double["command"][:4] == ["/opt/tljh/user/bin/python", "-m", "workshop",
                                     "shared-double"]
    assert services[2]["command"][2:5] == ["workshop", "class-view", "serve"]
    assert double["environment"] == {SECRET_VARIABLE: secret}

    environment = LocalProcessSpawner(config=config).environment
    assert environment[VARIABLE] == "http://127.0.0.1:8765"

    class Spawner:  # what JupyterHub hands a callable environment value
        class user:  # noqa: N801
            name = "alice"

    assert environment[KEY_VARIABLE](Spawner) == student_key(secret, "alice")
    assert in_repo(environment["JUPYTER_CONFIG_PATH"]) == SINGLEUSER


def test_the_tljh_secret_survives_a_hub_restart(tljh_config, tmp_path):
    _, state = tljh_config
    first = (state / "flask-live-double-secret").read_text()
    PyFileConfigLoader("jupyterhub_config.py", path=str(tmp_path)).load_config()
    assert (state / "flask-live-double-secret").read_text() == first


# Run in a fresh Python: the ServerApp jupyterhub-singleuser makes, initialised from the config
# path the hub gives it (find_extensions=False: the hub handshake is not needed to read it).
READ_BACK = """import json
from jupyterhub.singleuser.extension import JupyterHubSingleUser
from jupyter_server_proxy.handlers import ProxyHandler
server = JupyterHubSingleUser.make_serverapp()
server.initialize(argv=[], find_extensions=False, new_httpserver=False)
kernels = server.kernel_manager
print(json.dumps({"transport": kernels.kernel_manager_factory(parent=kernels).transport,
                  "cull_idle_timeout": kernels.cull_idle_timeout,
                  "cull_interval": kernels.cull_interval,
                  "cull_connected": kernels.cull_connected,
                  "proxy_guard": getattr(ProxyHandler, "_own_ports_only", False)}))"""


def test_kernel_settings_reach_a_server_started_as_the_hubs_start_it(tljh_config, tmp_path):
    from jupyterhub.spawner import LocalProcessSpawner

    on_tljh = LocalProcessSpawner(config=tljh_config[0]).environment["JUPYTER_CONFIG_PATH"]
    on_z2jh = yaml.safe_load(VALUES_FILE.read_text())["singleuser"]["extraEnv"][
        "JUPYTER_CONFIG_PATH"]
    assert in_repo(on_tljh) == in_repo(on_z2jh) == SINGLEUSER
    # Only what the hub sets: no user config of this machine, private runtime folders.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    env.update(HOME=str(tmp_path), JUPYTER_CONFIG_DIR=str(tmp_path / "user-config"),
               JUPYTER_DATA_DIR=str(tmp_path / "data"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTER_CONFIG_PATH=str(in_repo(on_tljh)))
    done = subprocess.run([sys.executable, "-c", READ_BACK], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "transport": "ipc", "cull_idle_timeout": 1800, "cull_interval": 300,
        "cull_connected": True, "proxy_guard": True}


def test_the_z2jh_values_fit_the_chart_and_the_guides_figures():
    values = yaml.safe_load(VALUES_FILE.read_text())
    jsonschema.validate(values, CHART_SCHEMA)
    singleuser = values["singleuser"]
    # Guaranteed what the guide plans per student (0.4 GB, 4 students per CPU); the limit is
    # the TLJH cap the guide gives.
    assert gigabytes(singleuser["memory"]["guarantee"]) >= 0.4
    assert singleuser["cpu"]["guarantee"] >= 0.25
    cap = re.search(r"tljh-config set limits\.memory (\S+)", GUIDE.read_text()).group(1)
    assert singleuser["memory"]["limit"] == cap and gigabytes(cap) >= 0.55 * 1.2
    assert singleuser["networkPolicy"]["enabled"] is True
    assert singleuser["networkPolicy"]["egressAllowRules"]["privateIPs"] is False
    # The lessons the pod copies and opens are this repository's.
    assert "/srv/flask-live/notebooks" in " ".join(
        singleuser["lifecycleHooks"]["postStart"]["exec"]["command"])
    assert (ROOT / singleuser["defaultUrl"].removeprefix("/lab/tree/")).is_file()
    assert values["hub"]["config"]["KubeSpawner"]["working_dir"] == "/home/jovyan"


def test_the_hub_pin_matches_the_chart_the_guide_names():
    named = set(re.findall(r"--version (\S+)", GUIDE.read_text()))
    assert named and named <= set(CHART_HUB), named
    assert all(f"chart {chart}" in VALUES_FILE.read_text() for chart in named)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [spec for group in project["optional-dependencies"].values()
                                       for spec in group]
    [pin] = [Requirement(spec) for spec in specs if Requirement(spec).name == "jupyterhub"]
    for chart in named:
        hub = Version(CHART_HUB[chart])
        assert pin.specifier.contains(hub), (pin, chart)
        # No other major version: the single-user server must match the hub's.
        assert not pin.specifier.contains(Version(f"{hub.major + 1}.0.0")), pin
        assert not pin.specifier.contains(Version(f"{hub.major - 1}.99.0")), pin


def test_the_nbgitpuller_link_names_the_folder_its_urlpath_opens():
    [link] = [line for block in quoted_blocks() for line in block.splitlines()
              if "git-pull?" in line]
    target = re.search(r"[?&]targetPath=([^&]+)", link).group(1)
    urlpath = re.search(r"[?&]urlpath=([^&]+)", link).group(1)
    assert urlpath.startswith(f"lab/tree/{target}/")
    assert (ROOT / urlpath.removeprefix(f"lab/tree/{target}/")).is_file()
