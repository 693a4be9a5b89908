"""SPEC §3 and §7: reminder offsets are per fiscal-year program, the spec's by default, and an
admin edits them over the API and on the program's page, with the same rules."""

from datetime import date

import pytest

from grants.core.programs import DEFAULT_REMINDER_OFFSETS
from notifications import outbox
from tests import factories as f
from tests.web_support import alert, post, sign_in


def test_a_new_program_has_the_reminder_offsets_of_the_spec(session):
    assert f.program(session).reminder_offsets == {
        "application_close": [14, 7, 1], "report_due": [14, 7, 1, 0],
        "waiting_applicant_open_days": 5, "waiting_review_open_days": 10, "unsettled_days": 30}


def test_reminder_offsets_are_changed_per_program_over_the_api(client, session, login):
    f.program(session)
    f.program(session, 2026)
    answer = client.patch(f"/api/programs/{f.FY}", headers=login(f.ADMIN),
                          json={"reminder_offsets": {"report_due": [3, 10, 3],
                                                     "unsettled_days": 20}})
    assert answer.status_code == 200, answer.text
    assert answer.json()["reminder_offsets"] == DEFAULT_REMINDER_OFFSETS | {
        "report_due": [10, 3], "unsettled_days": 20}
    other = client.get("/api/programs", headers=login(f.ADMIN)).json()
    assert [p["reminder_offsets"] for p in other if p["fiscal_year"] == 2026] == [
        DEFAULT_REMINDER_OFFSETS]


@pytest.mark.parametrize("offsets", [
    {"report_due": [-1]}, {"report_due": [91]}, {"report_due": "14"}, {"report_due": [1.5]},
    {"report_due": ["7"]}, {"report_due": list(range(11))}, {"unsettled_days": 0},
    {"unsettled_days": [30]}, {"waiting_review_open_days": True}, {"sometime": 3}, "14,7",
    {"report_due": None, "unsettled_days": None, "x": None},
])
def test_impossible_reminder_offsets_are_refused_and_change_nothing(client, session, login,
                                                                    offsets):
    f.program(session)
    answer = client.patch(f"/api/programs/{f.FY}", headers=login(f.ADMIN),
                          json={"reminder_offsets": offsets})
    assert answer.status_code == 422 and answer.json()["detail"]
    programs = client.get("/api/programs", headers=login(f.ADMIN)).json()
    assert programs[0]["reminder_offsets"] == DEFAULT_REMINDER_OFFSETS


def test_only_an_admin_changes_reminder_offsets(client, session, login):
    f.program(session)
    for actor in (f.secretariat(), f.applicant(), f.AUDITOR):
        answer = client.patch(f"/api/programs/{f.FY}", headers=login(actor),
                              json={"reminder_offsets": {"report_due": [1]}})
        assert answer.status_code == 403


def test_the_admin_page_changes_reminder_offsets_typed_as_people_write_them(
        client, session, password_hash):
    f.program(session)
    sign_in(client, session, f.ADMIN, password_hash)
    page = client.get("/admin").text
    assert 'name="remind_report_due"' in page and 'value="14, 7, 1, 0"' in page
    saved = post(client, f"/admin/programs/{f.FY}", {"remind_report_due": "１０、３",
                                                     "remind_unsettled_days": "45"})
    assert saved.status_code == 303
    answer = client.get("/admin").text
    assert 'value="10, 3"' in answer and 'value="45"' in answer
    bad = post(client, f"/admin/programs/{f.FY}", {"remind_report_due": "一週間前"})
    assert bad.status_code == 422 and "カンマで区切って" in alert(bad.text)
    assert 'value="10, 3"' in client.get("/admin").text


def test_the_scan_reads_the_programs_own_offsets(session, password_hash):
    from tests.support import ensure_user
    program = f.program(session)
    program.reminder_offsets = DEFAULT_REMINDER_OFFSETS | {"report_due": [3]}
    ensure_user(session, f.applicant(), password_hash)
    grant = f.grant_in(session, "awarded")  # report due 令和8年3月30日 (a Monday)
    due = grant.report_due
    assert due == date(2026, 3, 30)
    for days_before, expected in ((14, 0), (7, 0), (3, 1), (1, 0)):
        day = date.fromordinal(due.toordinal() - days_before)
        scan = outbox.scan(session, today=day, now=f.LATER, email_on=False)
        assert scan.queued["report_due"] == expected, days_before
