"""Each applicant's and secretariat member's private deadline calendar (.ics): their own
deadlines only, at a secret address shown once, ended by a new address or by revoking it."""

import re
from datetime import date

import pytest
from icalendar import Calendar

from tests import factories as f
from tests.web_support import post, sign_in, text


def _events(ics: bytes) -> dict[str, tuple[date, str]]:
    calendar = Calendar.from_ical(ics)
    return {str(e["uid"]): (e.decoded("dtstart"), str(e["summary"]))
            for e in calendar.walk("VEVENT")}


@pytest.fixture
def grants(session):
    f.program(session, applications_open=date(2025, 4, 1),
              applications_close=date(2025, 5, 3))  # Saturday: moves to Wednesday 7 May
    own = f.grant_in(session, "awarded")  # 八王子市, report due 令和8年3月30日
    same_org = f.grant_in(session, "awarded", f.TOWN)  # 瑞穂町, the same org
    other_org = f.grant_in(session, "awarded", f.WARD)  # 千代田区
    closed = f.grant_in(session, "report_submitted")  # no report expected any more
    return own, same_org, other_org, closed


def _issue(client) -> str:
    answer = post(client, "/notifications/calendar")
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    assert "この画面を離れると二度と表示されません" in text(answer.text)
    return re.search(r'value="https?://[^/"]+(/calendar/[^"]+\.ics)"', answer.text).group(1)


def test_an_applicants_calendar_holds_the_window_and_its_own_report_deadlines(
        client, session, password_hash, grants):
    own, same_org, other_org, closed = grants
    sign_in(client, session, f.applicant(), password_hash)
    address = _issue(client)
    feed = client.get(address)
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    events = _events(feed.content)
    host = next(iter(events)).split("@")[1]
    assert events == {
        f"window-{f.FY}@{host}": (date(2025, 5, 7), "令和7年度 申請受付の締切"),
        f"grant-{own.id}-report-due@{host}":
            (date(2026, 3, 30), "実績報告の期限: 八王子市「市民協働による里山保全事業」"),
    }
    assert "発行済み" in text(client.get("/notifications").text)


def test_a_secretariat_calendar_holds_its_orgs_report_deadlines(client, session, password_hash,
                                                                grants):
    own, same_org, other_org, closed = grants
    sign_in(client, session, f.secretariat(f.CITY_ORG), password_hash)
    uids = set(_events(client.get(_issue(client)).content))
    reports = {uid.split("@")[0] for uid in uids if uid.startswith("grant-")}
    assert reports == {f"grant-{own.id}-report-due", f"grant-{same_org.id}-report-due"}


def test_a_new_address_ends_the_old_and_revoking_ends_it(client, session, password_hash, grants):
    sign_in(client, session, f.applicant(), password_hash)
    first = _issue(client)
    second = _issue(client)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert post(client, "/notifications/calendar/revoke").status_code == 303
    assert client.get(second).status_code == 404


def test_a_disabled_persons_calendar_is_gone(client, session, password_hash, grants):
    from tests.support import ensure_user
    sign_in(client, session, f.applicant(), password_hash)
    address = _issue(client)
    ensure_user(session, f.applicant(), password_hash).disabled = True
    session.flush()
    assert client.get(address).status_code == 404


@pytest.mark.parametrize("change", ["password", "disable"])
def test_a_reset_password_or_a_disabling_ends_the_calendar_address_for_good(
        client, session, password_hash, grants, change):
    """Enabled again, or signing in with the new password, the old address stays ended."""
    from grants.core import users
    sign_in(client, session, f.applicant(), password_hash)
    address = _issue(client)
    if change == "password":
        users.reset_password(session, f.applicant().username)
    else:
        users.set_disabled(session, f.applicant().username, True)
        users.set_disabled(session, f.applicant().username, False)
    session.flush()
    assert client.get(address).status_code == 404


@pytest.mark.parametrize("secret", ["x", "a" * 43, "a" * 5000, "..%2F..%2Fetc", "%00" * 43,
                                    "日本語" * 10, "%0D%0A" * 20])
def test_a_made_up_calendar_address_is_not_found_never_an_error(client, grants, secret):
    assert client.get(f"/calendar/{secret}.ics").status_code == 404


def test_the_calendar_over_the_api_is_for_applicants_and_secretariat(client, session, login,
                                                                    grants):
    answer = client.post("/api/notifications/calendar", headers=login(f.applicant()))
    assert answer.status_code == 201
    url = answer.json()["url"]
    assert client.get(url[url.index("/calendar/"):]).status_code == 200
    assert client.delete("/api/notifications/calendar", headers=login(f.applicant())
                         ).status_code == 204
    assert client.get(url[url.index("/calendar/"):]).status_code == 404
    refused = client.post("/api/notifications/calendar", headers=login(f.AUDITOR))
    assert refused.status_code == 403 and "申請者と事務局" in refused.json()["detail"]
