"""JupyterHub for a class on one machine: the kit's tests and `kit.py bench --class` use it.

`workshop.classroom.hub.launch` sets the KIT_HUB_* variables and runs `jupyterhub -f` on this file.
Everything binds 127.0.0.1; state (database, cookie secret, home folders) stays in one folder.
"""

import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub provides it when it loads this file)

folder = Path(os.environ["KIT_HUB_FOLDER"])
here = Path(__file__).resolve().parent

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(os.environ["KIT_HUB_PORT"])
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ["KIT_HUB_API_PORT"])
c.JupyterHub.db_url = f"sqlite:///{folder / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(folder / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True
# Answer "spawn" requests at once (202) and let the caller poll: a class starts together.
c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 0}
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['KIT_HUB_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.pid_file = str(folder / "proxy.pid")
c.ConfigurableHTTPProxy.command = [shutil.which("configurable-http-proxy")
                                   or "configurable-http-proxy"]

# Any name logs in (a test hub); every user is a student with no admin rights.
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True

# One home folder per student under the hub's folder; no system accounts needed.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(folder / "home" / "{username}")
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.args = ["--LabApp.news_url=None",
                  "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
if hasattr(os, "geteuid") and os.geteuid() == 0:
    c.Spawner.args.append("--allow-root")  # CI runs as root; Jupyter refuses otherwise
# A busy machine starting 30 servers at once is slow, not broken.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
# The single-user servers read the kit's server config from here, as on TLJH and Z2JH: kernels
# on Unix sockets, idle kernels culled, the proxy guard (classroom/hub/singleuser/).
c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": str(here / "singleuser"),
    # Short, per-user runtime folders: a Unix socket path may not exceed 107 bytes.
    "JUPYTER_RUNTIME_DIR": lambda spawner: os.path.join(os.environ["KIT_HUB_RUNTIME"],
                                                        spawner.user.name),
}

# The launcher steers the hub with its own token (made per run, never printed or stored).
c.JupyterHub.services = [{"name": "kit-launcher",
                          "api_token": os.environ["KIT_HUB_LAUNCHER_TOKEN"]}]
c.JupyterHub.load_roles = [{"name": "admin", "services": ["kit-launcher"]}]

# One GitHub double for the whole hub, started and watched by JupyterHub, when asked for; each
# student's server gets the key to their own namespace only.
shared_port = os.environ.get("KIT_HUB_SHARED_DOUBLE_PORT")
if shared_port:
    from workshop.classroom.hub.shared_double import configure_hub

    configure_hub(c, port=int(shared_port))

# The class view: the instructors group sees who is stuck; each student's checks report to it
# with their own server's token. Its SQLite file stays in the hub's folder.
class_view_port = os.environ.get("KIT_HUB_CLASS_VIEW_PORT")
if class_view_port:
    c.JupyterHub.services.append({
        "name": "class-view",
        "url": f"http://127.0.0.1:{class_view_port}",
        "command": [sys.executable, "-m", "workshop", "class-view", "serve",
                    "--folder", str(folder / "class-view")],
        "oauth_no_confirm": True,  # the hub's own page: no "authorize this app?" screen
    })
    c.JupyterHub.load_groups = {"instructors": {"users": []}}
    c.JupyterHub.load_roles.append({"name": "class-view-instructors", "groups": ["instructors"],
                                    "scopes": ["access:services!service=class-view"]})
    c.Spawner.environment["WORKSHOP_CLASS_VIEW"] = (
        f"http://127.0.0.1:{class_view_port}/services/class-view/")
