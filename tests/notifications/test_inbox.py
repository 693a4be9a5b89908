"""SPEC §7: every action notifies the other side, in the action's transaction, and nobody
of another municipality or org; each person reads and marks only their own notices, over the
API and on the pages."""

import pytest
from sqlalchemy import func, select

from grants.core.errors import Refused
from grants.core.models import Notification, User
from notifications.messages import notices
from tests import factories as f
from tests.support import ensure_user
from tests.web_support import post, sign_in, text
from workflows.table import TRANSITIONS

CITY_APPLICANT = f.applicant(f.CITY)  # 八王子市, 市町村調査会
TOWN_APPLICANT = f.applicant(f.TOWN)  # 瑞穂町, the same org, another municipality
WARD_APPLICANT = f.applicant(f.WARD)  # 千代田区, the other org
CITY_SECRETARIAT = f.secretariat(f.CITY_ORG)
WARD_SECRETARIAT = f.secretariat(f.WARD_ORG)
EVERYONE = (CITY_APPLICANT, TOWN_APPLICANT, WARD_APPLICANT, CITY_SECRETARIAT, WARD_SECRETARIAT,
            f.AUDITOR, f.ADMIN)


@pytest.fixture
def people(session, password_hash):
    f.program(session, allows_advance=True)
    return {actor.username: ensure_user(session, actor, password_hash) for actor in EVERYONE}


def _recipients(session, after_id: int) -> set[str]:
    return set(session.scalars(select(User.username).join(
        Notification, Notification.user_id == User.id).where(Notification.id > after_id)))


def _last_id(session) -> int:
    return session.scalar(select(func.coalesce(func.max(Notification.id), 0)))


def _source_path(action: str) -> list[str]:
    """The shortest way from a draft to a state this action may be taken from."""
    if action == "settle":  # with money left to pay, after the 交付請求書
        return f.PATHS["payment_requested"]
    sources = TRANSITIONS[action].sources
    return min((path for state, path in f.PATHS.items() if state in sources), key=len)


@pytest.mark.parametrize("action", [str(a) for a in TRANSITIONS])
def test_every_action_notifies_the_other_side_and_nobody_else(session, people, action):
    grant = f.draft(session)
    for step in _source_path(action):
        f.act(session, grant, step)
    before = _last_id(session)
    f.act(session, grant, action)
    taken_by_applicant = TRANSITIONS[action].role == "applicant"
    expected = {CITY_SECRETARIAT.username} if taken_by_applicant else {CITY_APPLICANT.username}
    assert _recipients(session, before) == expected


def test_an_actions_notice_keeps_the_state_that_action_led_to(session, people):
    grant = f.grant_in(session, "awarded")  # 審査開始 then 交付決定, each told to the applicant
    said = {n.subject: n.lead for n in notices(session, Notification.grant_id == grant.id)}
    review = next(lead for subject, lead in said.items() if subject.endswith("審査開始"))
    award = next(lead for subject, lead in said.items() if subject.endswith("交付決定"))
    assert review.endswith("「審査開始」が行われました（審査中）。"), review
    assert award.endswith("「交付決定」が行われました（交付決定）。"), award


def test_a_refused_action_notifies_nobody(session, people):
    grant = f.grant_in(session, "under_review")
    before = _last_id(session)
    with pytest.raises(Refused, match="申請額"):
        f.act(session, grant, "award", {"awarded_yen": 999_999_999, "decision_date": "2025-05-20"})
    assert _recipients(session, before) == set()


def test_a_disabled_person_is_not_notified(session, people):
    people[CITY_SECRETARIAT.username].disabled = True
    session.flush()
    before = _last_id(session)
    f.act(session, f.draft(session), "submit")
    assert _recipients(session, before) == set()


def test_the_api_lists_only_ones_own_notices_with_the_unread_count(client, session, people, login):
    grant = f.grant_in(session, "awarded")  # start_review and award told the applicant
    answer = client.get("/api/notifications", headers=login(CITY_APPLICANT)).json()
    assert answer["unread"] == 2 and [n["kind"] for n in answer["items"]] == ["action", "action"]
    award = answer["items"][0]
    assert award["subject"] == "八王子市「市民協働による里山保全事業」: 交付決定"
    assert award["link"] == f"/grants/{grant.id}" and ["交付決定額", "300,000円"] in award["facts"]
    assert client.get("/api/notifications", headers=login(TOWN_APPLICANT)).json()["items"] == []
    assert client.get("/api/notifications", headers=login(WARD_SECRETARIAT)).json()["items"] == []
    assert client.get("/api/notifications").status_code == 401


def test_a_notice_is_marked_read_only_by_its_own_reader(client, session, people, login):
    f.grant_in(session, "awarded")
    own = client.get("/api/notifications", headers=login(CITY_APPLICANT)).json()["items"][0]
    other = client.post(f"/api/notifications/{own['id']}/read", headers=login(TOWN_APPLICANT))
    assert other.status_code == 404 and other.json()["detail"] == "お知らせが見つかりません。"
    assert client.post(f"/api/notifications/{own['id']}/read",
                       headers=login(CITY_APPLICANT)).status_code == 204
    assert client.get("/api/notifications?unread=true",
                      headers=login(CITY_APPLICANT)).json()["unread"] == 1
    assert client.post("/api/notifications/read-all",
                       headers=login(CITY_APPLICANT)).status_code == 204
    assert client.get("/api/notifications", headers=login(CITY_APPLICANT)).json()["unread"] == 0


@pytest.mark.parametrize("notice_id", ["0", "-1", "abc", "99999999999999", "1e3"])
def test_a_bad_notice_id_is_refused_not_crashed(client, people, login, notice_id):
    answer = client.post(f"/api/notifications/{notice_id}/read", headers=login(CITY_APPLICANT))
    assert answer.status_code == 422


@pytest.mark.parametrize("body", [{}, {"email_notifications": "yes"}, {"email_notifications": 1},
                                  {"email_notifications": None},
                                  {"email_notifications": False, "extra": 1}])
def test_the_email_choice_takes_only_true_or_false(client, people, login, body):
    answer = client.put("/api/notifications/email", json=body, headers=login(CITY_APPLICANT))
    assert answer.status_code == 422 and answer.json()["detail"]


def test_a_person_may_turn_email_off_and_still_gets_the_inbox(client, session, people, login):
    headers = login(CITY_APPLICANT)
    assert client.put("/api/notifications/email", json={"email_notifications": False},
                      headers=headers).json()["email_notifications"] is False
    assert client.get("/api/notifications/email", headers=headers).json() == {
        "email_notifications": False, "email": None}
    session.refresh(people[CITY_APPLICANT.username])
    assert people[CITY_APPLICANT.username].email_notifications is False


def test_the_page_header_shows_the_unread_count_and_the_inbox_lists_them(
        client, session, people, password_hash):
    grant = f.grant_in(session, "awarded")
    sign_in(client, session, CITY_APPLICANT, password_hash)
    home = client.get("/")
    assert "未読 2 件" in text(home.text)
    inbox = text(client.get("/notifications").text)
    assert "八王子市「市民協働による里山保全事業」: 交付決定" in inbox and "交付決定額 300,000円" in inbox
    notice = session.scalars(select(Notification.id).join(User, User.id == Notification.user_id)
                             .where(User.username == CITY_APPLICANT.username)
                             .order_by(Notification.id.desc())).first()
    assert post(client, f"/notifications/{notice}/read").status_code == 303
    assert "未読 1 件" in text(client.get(f"/grants/{grant.id}").text)
    assert post(client, "/notifications/read-all").status_code == 303
    assert "未読" not in text(client.get("/").text).replace("未読だけ", "")


def test_the_inbox_forms_need_the_csrf_token_and_ones_own_notice(
        client, session, people, password_hash):
    f.grant_in(session, "awarded")
    sign_in(client, session, TOWN_APPLICANT, password_hash)
    others = session.scalars(select(Notification.id)).first()
    assert post(client, f"/notifications/{others}/read").status_code == 404
    refused = client.post("/notifications/read-all", follow_redirects=False)
    assert refused.status_code == 403
    assert post(client, "/notifications/email", {"email": "sometimes"}).status_code == 422
    assert post(client, "/notifications/email", {"email": "off"}).status_code == 303
    assert "設定を保存しました" in text(client.get("/notifications?done=saved").text)
