"""Self-checks for the exercises: each prints ✓ and what it verified, or "not yet" and a hint.

    from workshop import checks
    checks.hello_route(app)

A check never raises and never shows a traceback: whatever the student's code does (returns
None, raises, loops, sleeps, calls sys.exit() or app.run()), the check turns it into one line
that says what to look at first. It runs in a child process with a deadline per step
(`_deadline`), so student code cannot hang the kernel, and its output passes through `redact`,
so no secret environment variable (GITHUB_TOKEN, ...) is ever printed.
Outputs are deterministic (no ports, times or addresses), because the exercise notebooks are
committed with them and compared by strict nbval.

One module per lesson (basics, routes, upstream, page, post, errors, persistence, testing,
deploying, concurrency; `original` for exercise 17), shared pieces in `_core`; every check is
re-exported here, so notebooks write `checks.<name>(...)`.
"""

from workshop.checks._core import (  # noqa: F401
    EVIL_ORIGIN,
    NOT_YET,
    OK,
    XSS_PAYLOAD,
    NotYet,
    check,
    client,
    config_set,
    config_value,
    counting_requests,
    expect_status,
    explain,
    fresh_upstream,
    json_object,
    json_of,
    quiet_logger,
    redact,
    say,
    step,
    upstream_url,
    verdict,
    workspace_app,
    workspace_module,
)
from workshop.checks.basics import home_page, preflight  # noqa: F401
from workshop.checks.concurrency import concurrent_profile, overlap_upstream  # noqa: F401
from workshop.checks.deploying import (  # noqa: F401
    database_setting,
    server_settings,
    waitress_serving,
)
from workshop.checks.errors import (  # noqa: F401
    INVALID_USERS,
    VALID_USERS,
    json_errors,
    names_checked,
    upstream_failures,
    user_names,
)
from workshop.checks.fix_the_original import fix_the_original  # noqa: F401
from workshop.checks.page import UNSAFE_SINKS, page_rendered, run_in_chromium, xss_safe  # noqa: F401,E501
from workshop.checks.persistence import (  # noqa: F401
    favourite_deleted,
    favourites_query,
    sqlite_notes,
)
from workshop.checks.post import (  # noqa: F401
    BAD_BODIES,
    GOOD_BODIES,
    all_repo_names,
    body_limit,
    count_one_request,
    num_repos,
    repo_names_pages,
    repos_alphabetically,
)
from workshop.checks.proxying import (  # noqa: F401
    etag_304,
    fake_upstream,
    followers,
    rate_limit_429,
    rate_limit_signals,
    repository_from_github,
    timeout_setting,
)
from workshop.checks.routes import (  # noqa: F401
    cors_one_origin,
    hello_route,
    notes_methods,
    repository_route,
)
from workshop.checks.settings import settings_from_environment  # noqa: F401
from workshop.checks.writing_tests import (  # noqa: F401
    _users_app,
    catches_bugs,
    favourites_test,
    tests_written,
)
