# The kit on The Littlest JupyterHub: /opt/tljh/config/jupyterhub_config.d/flask-live.py
# The hub's own Python has no Flask, so this file imports nothing from the kit.
import hashlib
import hmac
import secrets
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub provides it)

# Made once in the hub's state folder, beside its cookie secret: student servers outlive
# a hub restart (TLJH keeps them running), so their keys must stay valid.
secret_file = Path("flask-live-double-secret")
if not secret_file.exists():
    secret_file.touch(mode=0o600)
    secret_file.write_text(secrets.token_hex(32))
secret = secret_file.read_text().strip()


def double_key(spawner):
    """The key to this student's namespace only (as classroom/hub/shared_double.py makes it)."""
    return hmac.new(secret.encode(), spawner.user.name.encode(), hashlib.sha256).hexdigest()


# One GitHub double for the class, a private namespace per student (budget, faults, calls),
# run as `nobody`: it needs no rights, and JupyterHub would otherwise run it as root.
c.JupyterHub.services.append({
    "name": "github-double",
    "command": ["/opt/tljh/user/bin/python", "-m", "workshop", "shared-double",
                "--port", "8765"],
    "user": "nobody",
    "environment": {"WORKSHOP_SHARED_DOUBLE_SECRET": secret},
})
# The class view (/services/class-view/): the instructors group sees who is stuck, on what.
c.JupyterHub.services.append({
    "name": "class-view",
    "url": "http://127.0.0.1:8766",
    "command": ["/opt/tljh/user/bin/python", "-m", "workshop", "class-view", "serve",
                "--folder", "/opt/tljh/state/class-view"],
    "oauth_no_confirm": True,
})
c.JupyterHub.load_groups.update({"instructors": {"users": ["ada"]}})  # your hub name(s)
c.JupyterHub.load_roles.append({"name": "class-view-instructors", "groups": ["instructors"],
                                "scopes": ["access:services!service=class-view"]})
c.Spawner.environment.update({
    "WORKSHOP_SHARED_DOUBLE": "http://127.0.0.1:8765",
    "WORKSHOP_SHARED_DOUBLE_KEY": double_key,
    # Where the students' checks report (set it to "off" to switch the class view off).
    "WORKSHOP_CLASS_VIEW": "http://127.0.0.1:8766/services/class-view/",
    # Kernels on Unix sockets, idle kernels culled, the proxy guard.
    "JUPYTER_CONFIG_PATH": "/opt/flask-live/workshop/classroom/hub/singleuser",
})
