"""Single-user server config for a shared hub: a student's proxy reaches only their own ports.

Put this folder on JUPYTER_CONFIG_PATH (the kit's JupyterHub config does), or copy these lines
into the image's /etc/jupyter/jupyter_server_config.py.
"""

from workshop.classroom.hub.proxy_guard import guard_proxy

guard_proxy()
