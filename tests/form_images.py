"""The nine forms for a ward, a city, a town and a village, drawn as page images the way a
reader sees them (the .docx as built, LibreOffice's PDF with the project's fonts, poppler's
pdftoppm), for the visual check in tests/forms/test_form_images.py.

The reference images are committed in tests/reference/forms/; after an intended change of
layout they are drawn again with ``make form-references`` (this module run as a program)."""

import subprocess
import sys
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forms import pdf  # noqa: E402
from forms.documents import Sheet, build  # noqa: E402
from grants.core.models import Grant, Municipality, Org  # noqa: E402
from grants.core.municipalities import ORGS  # noqa: E402
from workflows.table import FORMS  # noqa: E402

REFERENCES = Path(__file__).with_name("reference") / "forms"
DPI = 40
# (kind, code, name, kana, org, head's name)
PLACES = [
    ("ward", "131016", "千代田区", "ちよだく", "tokubetsuku-kyogikai", "千代田　一郎"),
    ("city", "132012", "八王子市", "はちおうじし", "shichoson-chosakai", "八王子　二郎"),
    ("town", "133035", "瑞穂町", "みずほまち", "shichoson-chosakai", "瑞穂　三郎"),
    ("village", "133078", "檜原村", "ひのはらむら", "shichoson-chosakai", "檜原　四郎"),
]
ACCOUNT = {"bank_name": "多摩中央信用金庫", "bank_code": "1360", "branch_name": "本店",
           "branch_code": "001", "account_type": "ordinary", "account_number": "1234567",
           "holder_kana": "カイケイカンリシャ"}


def sheets() -> dict[str, Sheet]:
    """Every form for each place, with fixed data: the same bytes on every run."""
    found = {}
    for kind, code, name, kana, org_id, head in PLACES:
        org = Org(id=org_id, name=ORGS[org_id])
        municipality = Municipality(code=code, name=name, kana=kana, kind=kind, org_id=org_id,
                                    head_name=head)
        grant = Grant(
            id=1, fiscal_year=2025, municipality_code=code, state="cancelled",
            title=f"{name}の里山保全と緑のカーテン普及事業", category="nature_conservation",
            actions=["awareness", "places_for_action"], summary="里山の下草刈りと観察会を市民と行う。",
            project_start=date(2025, 6, 1), project_end=date(2026, 2, 28),
            project_cost_yen=1_200_000, requested_yen=900_000, awarded_yen=800_000,
            decision_date=date(2025, 5, 20), report_due=date(2026, 3, 30),
            actual_cost_yen=750_000, outcomes="観察会を4回開催し、延べ120名が参加した。",
            confirmed_yen=750_000, advanced_yen=0, paid_yen=750_000, refund_due_yen=750_000,
            conditions="成果を広報紙で周知すること。", payment_account=ACCOUNT,
            first_submitted_at=datetime(2025, 5, 1, 1, tzinfo=timezone.utc))
        cited = {1: (date(2025, 5, 1), None), 2: (date(2025, 5, 20), "7市調環第1号"),
                 4: (date(2025, 8, 1), None), 5: (date(2025, 8, 8), "7市調環第5号"),
                 6: (date(2026, 3, 10), None), 7: (date(2026, 3, 24), "7市調環第9号")}
        for form in FORMS:
            found[f"{kind}-form{form}"] = Sheet(
                form=form, grant=grant, municipality=municipality, org=org,
                issued_on=date(2026, 4, 1), number="8市調環第12号" if FORMS[form].from_org else None,
                reason="対象外経費の計上が判明したため", amounts={"previous_awarded_yen": 800_000},
                change={"requested_yen": 900_000}, issuer=("理事長", "多摩　一郎"), cited=cited)
    return found


def draw(folder: Path) -> dict[str, Image.Image]:
    """Each form's first page as a grey image."""
    images = {}
    for name, sheet in sheets().items():
        path = folder / f"{name}.pdf"
        path.write_bytes(pdf.office.convert(build(sheet)))
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", str(path),
                        str(folder / name)], check=True, capture_output=True)
        images[name] = Image.open(folder / f"{name}.png").convert("L")
    return images


def main() -> None:
    REFERENCES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name, image in draw(Path(folder)).items():
            image.save(REFERENCES / f"{name}.png", optimize=True)
            print(REFERENCES / f"{name}.png")


if __name__ == "__main__":
    main()
