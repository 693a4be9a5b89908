"""Whether an answer may be kept: nothing private is kept by a browser or a proxy (so that
Back after signing out shows nothing), while the public site may be. Table-driven over every
GET route the app has, pages and API alike, so that a new route cannot forget it."""

import re

import pytest

from grants.app import app
from tests import factories as f
from tests.web_support import sign_in

# A value for each kind of path parameter, so that most routes find what they ask for (an
# answer they refuse must not be kept either).
VALUES = {"fiscal_year": str(f.FY), "municipality_code": f.CITY, "code": f.CITY}


def _routes(routes):
    """Every route, those of included routers too (FastAPI includes them lazily)."""
    for route in routes:
        if hasattr(route, "effective_candidates"):
            yield from _routes(route.effective_candidates())
        else:
            yield route


def _get_routes() -> list[str]:
    paths = {route.path for route in _routes(app.routes)
             if "GET" in (getattr(route, "methods", None) or ()) and not route.path.startswith("/static")}
    assert len(paths) > 40, paths  # pages and API alike
    return sorted(paths)


def _url(path: str, grant_id: int) -> str:
    return re.sub(r"\{([^}:]+)(:[^}]*)?\}", lambda m: VALUES.get(m.group(1), str(grant_id)), path)


@pytest.fixture
def grant(session):
    f.program(session)
    return f.grant_in(session, "published", code=f.CITY)


@pytest.mark.parametrize("how", ["bearer token", "session cookie"])
def test_no_signed_in_answer_is_kept(client, session, login, password_hash, grant, how):
    headers = {}
    if how == "bearer token":
        headers = login(f.secretariat())
    else:
        sign_in(client, session, f.secretariat(), password_hash)
    seen = []
    for path in _get_routes():
        response = client.get(_url(path, grant.id), headers=headers, follow_redirects=False)
        assert response.headers.get("cache-control") == "no-store", (path, response.status_code)
        seen.append(response.status_code)
    assert seen.count(200) >= 20  # the routes were really answered, not only refused


def test_the_public_site_may_be_kept_a_while(client, grant):
    for path in ("/public/", f"/public/{f.FY}/", f"/public/grants/{grant.id}/",
                 f"/public/{f.FY}/360giving.json", "/public/feed.atom"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "public, max-age=300", path


def test_pages_for_no_one_in_particular_are_not_kept_either(client):
    """The sign-in page carries a CSRF token tied to its cookie: not to be kept."""
    response = client.get("/login")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
