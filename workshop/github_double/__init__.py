"""An offline stand-in for api.github.com: real HTTP, recorded data, switchable faults.

    from workshop.github_double import create_app, Settings
    app = create_app(Settings(rate_limit=5, fault="500", fault_count=1))
    control(app).calls      # every path the double received

Standalone: `python -m workshop.github_double --port 8001`. Accounts: see README.md.
"""

from workshop.github_double.app import control, create_app
from workshop.github_double.control import Double
from workshop.github_double.settings import Settings

__all__ = ["Double", "Settings", "control", "create_app"]
