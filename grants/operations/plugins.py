"""The plug-ins on the workflow's hooks, installed in one place: the web app, the command
line, the scheduler and the tests all call ``install`` (importing a plug-in installs
nothing, so no caller depends on what happened to be imported first)."""

import notifications
from forms import issue


def install() -> None:
    """Idempotent: actions issue their forms (様式) and notify the other side wherever
    they run."""
    issue.register()
    notifications.register()
