"""The instructor sees the room: a live class view on JupyterHub, built from the self-checks.

- `report`: in a student's kernel, send each check's verdict (and "stuck"/"done") in the
  background; nothing is sent without a hub or after `workshop.share_progress(False)`.
- `store`: the reports in SQLite, and the grid the page shows (who is stuck comes first).
- `course`: which your-turns each lesson has, read from the lesson notebooks.
- `service`: the hub-managed service (`python -m workshop class-view serve`): the page,
  its JSON, and the report endpoint, behind the hub's OAuth and RBAC.
- `load`: a class of simulated students reporting at once, with the figures it measured.
"""

NAME = "class-view"  # the service's name: the page is at /services/class-view/
