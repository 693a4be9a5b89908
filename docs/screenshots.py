"""Takes the README's screenshots: the demo database, the real server, Debian's chromium.

    .venv/bin/python docs/screenshots.py      # writes docs/screenshots/*.png
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = {"applicant-home.png": ("hachioji", "/"), "secretariat-queue.png": ("shichoson", "/")}


def main() -> None:
    folder = tempfile.mkdtemp(prefix="grants-shots-")
    os.environ["GRANTS_DATABASE_URL"] = f"sqlite:///{folder}/demo.db"
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from bench.serving import served
    from grants.core import migrate
    from grants.core.db import get_engine, unit_of_work
    from grants.operations import demo, plugins
    plugins.install()  # the demo's grants issue their forms, as in the app
    migrate.init(get_engine())
    with unit_of_work() as session:
        _, logins = demo.prepare(session)
    passwords = {login.username: login.password for login in logins}
    with served(os.environ["GRANTS_DATABASE_URL"]) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for name, (username, path) in SHOTS.items():
            context = browser.new_context(locale="ja-JP", viewport={"width": 1100, "height": 800})
            page = context.new_page()
            page.goto(base + "/login")
            page.fill("#username", username)
            page.fill("#password", passwords[username])
            page.click("button[type=submit]")
            page.goto(base + path)
            page.screenshot(path=str(ROOT / "docs" / "screenshots" / name), full_page=False)
            context.close()
        browser.close()

if __name__ == "__main__":
    main()
