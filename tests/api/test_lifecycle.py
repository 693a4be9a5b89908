"""SPEC §4 over HTTP: the whole lifecycle, for a ward and for a Tama municipality."""

import pytest

from grants.core.clock import japan_date, utcnow
from grants.core.dates import fiscal_year_bounds, fiscal_year_of
from tests import factories as f

# The API uses the real clock, so the program is this fiscal year, whatever day the suite
# runs, with a window from its first day to its last and decisions dated today.
TODAY = japan_date(utcnow())
YEAR = fiscal_year_of(TODAY)
FIRST, LAST = fiscal_year_bounds(YEAR)


def _draft(code: str) -> dict:
    return {"fiscal_year": YEAR, "municipality_code": code, "title": "区民とつくる緑のカーテン",
            "category": "warming_prevention", "actions": ["awareness", "cooperation"],
            "summary": "公共施設に緑のカーテンを設置し講習会を開く。",
            "project_start": FIRST.isoformat(), "project_end": LAST.isoformat(),
            "project_cost_yen": 900_000, "requested_yen": 700_000}


@pytest.fixture
def open_year(session):
    f.program(session, YEAR, applications_open=FIRST, applications_close=LAST,
              allows_advance=True)


@pytest.mark.parametrize(("code", "org", "name"), [
    (f.WARD, f.WARD_ORG, "千代田区"),
    (f.CITY, f.CITY_ORG, "八王子市"),
])
def test_whole_lifecycle_over_http(client, session, login, open_year, code, org, name):
    applicant, staff = login(f.applicant(code)), login(f.secretariat(org))
    auditor = login(f.AUDITOR)

    def act(who, action, body=None, expect=200):
        response = client.post(f"/api/grants/{grant_id}/actions/{action}", headers=who, json=body)
        assert response.status_code == expect, response.text
        return response.json()

    created = client.post("/api/grants", headers=applicant, json=_draft(code))
    assert created.status_code == 201, created.text
    grant = created.json()
    grant_id = grant["id"]
    assert (grant["state"], grant["state_label"], grant["municipality_name"]) == ("draft", "作成中", name)
    assert grant["allowed_actions"] == ["submit", "withdraw"]

    fix = client.patch(f"/api/grants/{grant_id}", headers=applicant, json={"requested_yen": 600_000})
    assert fix.json()["requested_yen"] == 600_000

    assert act(applicant, "submit")["state_label"] == "申請済み（審査待ち）"
    act(applicant, "submit", expect=409)  # a double click changes nothing
    returned = act(staff, "return", {"reason": "経費内訳を添付してください。"})
    assert returned["state_label"] == "差戻し" and returned["allowed_actions"] == []
    act(applicant, "submit")
    act(staff, "start_review")
    awarded = act(staff, "award", {"awarded_yen": 500_000, "decision_date": TODAY.isoformat(),
                                   "conditions": "成果を広報誌で周知すること"})
    assert (awarded["state"], awarded["awarded_yen"]) == ("awarded", 500_000)
    assert awarded["allowed_actions"] == ["pay_advance", "cancel"]
    assert act(staff, "pay_advance", {"amount_yen": 200_000})["advanced_yen"] == 200_000

    act(applicant, "request_change", {"reason": "設置施設を追加するため", "requested_yen": 650_000,
                                      "project_cost_yen": 950_000})
    act(staff, "deny_change", {"reason": "予算の範囲内で実施してください。"})
    act(applicant, "request_change", {"reason": "再申請", "requested_yen": 550_000})
    changed = act(staff, "approve_change", {})
    assert (changed["state"], changed["awarded_yen"]) == ("awarded", 550_000)

    act(applicant, "submit_report", {"actual_cost_yen": 480_000, "outcomes": "12施設に設置、講習会に85名。"})
    act(staff, "return_report", {"reason": "写真を添付してください。"})
    act(applicant, "submit_report", {"actual_cost_yen": 480_000, "outcomes": "12施設に設置、講習会に85名。写真添付。"})
    confirmed = act(staff, "confirm")
    assert confirmed["confirmed_yen"] == 480_000
    # 280,000 yen is left to pay after the advance: the municipality's 交付請求書 comes first.
    act(staff, "settle", {"paid_on": TODAY.isoformat()}, expect=409)
    requested = act(applicant, "request_payment", f.BODIES["request_payment"])
    assert requested["state"] == "payment_requested"
    paid = act(staff, "settle", {"paid_on": TODAY.isoformat()})
    assert (paid["paid_yen"], paid["refund_due_yen"], paid["paid_on"]) == (480_000, 0, TODAY.isoformat())
    published = act(staff, "publish", {"public_summary": "12の公共施設に緑のカーテンを設置しました。"})
    assert published["state_label"] == "公表済"
    act(staff, "unpublish", {"reason": "概要の表現を修正するため"})
    act(staff, "publish", {"public_summary": "12の公共施設に緑のカーテンを設置し、85名が学びました。"})
    cancelled = act(staff, "cancel", {"reason": "補助対象外経費の計上が判明したため"})
    assert (cancelled["state"], cancelled["refund_due_yen"]) == ("cancelled", 480_000)

    mine = client.get(f"/api/grants/{grant_id}", headers=applicant).json()
    assert mine["state_label"] == "交付決定取消" and mine["allowed_actions"] == []
    trail = client.get(f"/api/grants/{grant_id}/events", headers=auditor).json()["items"]
    assert [e["action"] for e in trail] == [
        "create", "edit", "submit", "return", "submit", "start_review", "award", "pay_advance",
        "request_change", "deny_change", "request_change", "approve_change", "submit_report",
        "return_report", "submit_report", "confirm", "request_payment", "settle", "publish",
        "unpublish", "publish", "cancel"]
    assert trail[3]["reason"] == "経費内訳を添付してください。"
    assert client.get("/api/audit/verify", headers=auditor).json()["ok"] is True
    # Every form issued on the way (様式第1号, 2, 4, 5, 6, 7, 8, 9) matches the trail.
    from forms.issue import verify
    issued = client.get(f"/api/grants/{grant_id}/documents", headers=auditor).json()["items"]
    assert sorted({d["form"] for d in issued}) == [1, 2, 4, 5, 6, 7, 8, 9]
    assert verify(session)[1] == []


def test_listing_is_scoped_filtered_and_paged_by_key(client, login, session, open_year):
    for code in (f.CITY, f.CITY, f.TOWN, f.WARD):
        client.post("/api/grants", headers=login(f.applicant(code)), json=_draft(code))

    def ids(headers, query=""):
        return [g["id"] for g in client.get(f"/api/grants{query}", headers=headers).json()["items"]]

    city = client.get("/api/grants", headers=login(f.applicant(f.CITY))).json()
    assert {g["municipality_code"] for g in city["items"]} == {f.CITY} and len(city["items"]) == 2
    assert len(ids(login(f.secretariat(f.CITY_ORG)))) == 3
    auditor = login(f.AUDITOR)
    everything = ids(auditor)
    assert len(everything) == 4 and everything == sorted(everything, reverse=True)  # newest first
    first = client.get("/api/grants?limit=3", headers=auditor).json()
    assert [g["id"] for g in first["items"]] == everything[:3]
    assert first["next_after"] == everything[2]
    rest = client.get(f"/api/grants?limit=3&after={first['next_after']}", headers=auditor).json()
    assert [g["id"] for g in rest["items"]] == everything[3:] and rest["next_after"] is None
    wards = client.get("/api/grants?org=tokubetsuku-kyogikai", headers=auditor).json()
    assert [g["municipality_name"] for g in wards["items"]] == ["千代田区"]
    assert len(ids(auditor, f"?state=draft&municipality_code={f.TOWN}&fiscal_year={YEAR}")) == 1
    assert ids(login(f.applicant(f.CITY)), f"?municipality_code={f.TOWN}") == []
