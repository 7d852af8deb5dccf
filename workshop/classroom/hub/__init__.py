"""The kit on a real JupyterHub: a class on one machine, measured and kept apart.

- `launch`: start JupyterHub (dummy login, local processes) for a few users, log them in.
- `kernels`: run a lesson through a user's server, over its REST and websocket API.
- `proxy_guard`: a student's `/proxy/...` reaches only sockets their own processes listen on.
- `shared_double`: one GitHub double for the whole hub, one key-locked namespace per student.
- `memory`: resident memory per user, summed over their server's process tree.
- `class_view`: the instructor's live view of who is stuck, fed by the students' checks.

Not modules: `singleuser/` (the single-user server config every hub uses), `tljh/` and `z2jh/`
(the configs slides/INSTRUCTOR.md gives for The Littlest JupyterHub and Zero to JupyterHub).
"""
