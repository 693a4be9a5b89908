"""SPEC §3 over HTTP: admins open and change fiscal years; the cap never falls below use."""

from tests import factories as f


def test_admin_opens_a_fiscal_year(client, login):
    admin = login(f.ADMIN)
    response = client.post("/api/programs", headers=admin, json={
        "fiscal_year": 2011, "cap_yen": 1_500_000, "applications_open": "2011-04-01",
        "applications_close": "2011-06-30"})
    assert response.status_code == 201, response.text
    assert response.json()["fiscal_year_label"] == "平成23年度"
    listed = client.get("/api/programs", headers=login(f.applicant())).json()
    assert [(p["fiscal_year"], p["cap_yen"]) for p in listed] == [(2011, 1_500_000)]
    again = client.post("/api/programs", headers=admin, json={
        "fiscal_year": 2011, "applications_open": "2011-04-01", "applications_close": "2011-06-30"})
    assert again.status_code == 409


def test_admin_changes_cap_budget_and_window(client, session, login):
    f.program(session)
    admin = login(f.ADMIN)
    response = client.patch("/api/programs/2025", headers=admin,
                            json={"cap_yen": 1_500_000, "budget_yen": 40_000_000,
                                  "applications_close": "2025-07-31"})
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["cap_yen"], changed["budget_yen"], changed["applications_close"]) == (
        1_500_000, 40_000_000, "2025-07-31")
    cleared = client.patch("/api/programs/2025", headers=admin, json={"budget_yen": None})
    assert cleared.json()["budget_yen"] is None


def test_cap_cannot_fall_below_what_a_municipality_has_committed(client, session, login):
    f.program(session)
    f.grant_in(session, "awarded")  # 300,000 committed by 八王子市
    admin = login(f.ADMIN)
    response = client.patch("/api/programs/2025", headers=admin, json={"cap_yen": 299_999})
    assert response.status_code == 409
    assert "八王子市 が 300,000円" in response.json()["detail"]
    assert client.patch("/api/programs/2025", headers=admin, json={"cap_yen": 300_000}).status_code == 200
    below_budget = client.patch("/api/programs/2025", headers=admin, json={"budget_yen": 100})
    assert below_budget.status_code == 409


def test_program_changes_are_validated(client, session, login):
    f.program(session)
    admin = login(f.ADMIN)
    for body in ({"cap_yen": None}, {"cap_yen": "1000000"}, {"unknown": 1}):
        response = client.patch("/api/programs/2025", headers=admin, json=body)
        assert response.status_code == 422, (body, response.text)
    # well-formed, but a close before the window opens: a rule, not a typing error
    response = client.patch("/api/programs/2025", headers=admin, json={"applications_close": "2025-03-01"})
    assert response.status_code == 409 and "applications_close" in response.json()["problems"]
    assert client.patch("/api/programs/2031", headers=admin, json={"cap_yen": 1}).status_code == 404
