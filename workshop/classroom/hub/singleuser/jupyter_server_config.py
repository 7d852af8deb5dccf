"""Single-user server config for a hub: kernels on Unix sockets, idle kernels culled, and a
student's proxy that reaches only their own ports.

Put this folder on JUPYTER_CONFIG_PATH (the kit's JupyterHub config, classroom/hub/tljh/ and
workshop/classroom/hub/z2jh/ do). A copy in a `jupyter_server_config.d/` folder would be ignored:
jupyter_server reads only `jpserver_extensions` from those.
"""

c = get_config()  # noqa: F821 (the config loader provides it)

# Kernels talk to their server over Unix sockets, not TCP ports: with 30 servers starting
# kernels at once on one machine, TCP ports picked by each server raced (two kernels given
# one port, messages reaching the wrong kernel, lessons hanging).
c.KernelManager.transport = "ipc"
# An open lesson keeps a kernel (about 65 MB): stop kernels idle for 30 minutes even while
# their tab is open; the lesson's first cell, catch_up, brings a student back.
c.MappingKernelManager.cull_idle_timeout = 1800
c.MappingKernelManager.cull_interval = 300
c.MappingKernelManager.cull_connected = True

from workshop.classroom.hub.proxy_guard import guard_proxy  # noqa: E402 (after the plain settings)

guard_proxy()
