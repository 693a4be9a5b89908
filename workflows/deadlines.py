"""The deadline a grant's next step answers, read from the table: the application window's
close for a draft never submitted, the performance report's due date (SPEC §3) while a
report is expected, each moved to an open day. The pages show it beside the next step (words in ``grants.core.ja``)."""

from datetime import date

from grants.core.dates import applications_close
from grants.core.models import Grant, Program
from workflows.table import STATES


def next_due(grant: Grant, program: Program) -> date | None:
    kind = STATES[grant.state].due
    if kind == "application" and grant.first_submitted_at is None:
        return applications_close(program)
    if kind == "report":
        return grant.report_due
    return None
