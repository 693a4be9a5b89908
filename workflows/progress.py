"""The deadline a grant's next step answers, read from the table: the application window's
close for a draft never submitted, the performance report's due date (SPEC §3) while a
report is expected. The pages show it beside the next step (words in ``grants.ja``)."""

from datetime import date

from grants.dates import report_due
from grants.models import Grant, Program
from workflows.table import STATES


def due(grant: Grant, program: Program) -> date | None:
    kind = STATES[grant.state].due
    if kind == "application" and grant.first_submitted_at is None:
        return program.applications_close
    if kind == "report":
        return report_due(grant.project_end, program.report_days_after_end, program.report_deadline)
    return None
