"""Documents per second: the nine forms for the 62 municipalities (558 documents) through
``forms.documents.build``, against a baseline in the same run that builds each document
the naive way (a fresh ``Document()``, a few paragraphs and a table, save).

Then the PDFs of the same 558 documents: all of them through the one LibreOffice kept
running (``forms.pdf.office``), against one ``soffice --convert-to pdf`` start per document
timed in the same run on a sample (``--sample``, default 27: three municipalities' nine
forms), whose time per document is scaled to the 558. Aim: at least 5x faster.

    python bench/documents.py [--rounds 3] [--sample 27] [--no-pdf]
"""

import argparse
import hashlib
import io
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

import docx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forms import pdf  # noqa: E402
from forms.documents import Sheet, build  # noqa: E402
from grants.core.models import Grant, Municipality, Org  # noqa: E402
from grants.core.municipalities import ORGS, shipped_rows  # noqa: E402
from workflows.table import FORMS  # noqa: E402


def sheets() -> list[Sheet]:
    orgs = {org_id: Org(id=org_id, name=name) for org_id, name in ORGS.items()}
    result = []
    for index, row in enumerate(shipped_rows(), start=1):
        municipality = Municipality(code=row.code, name=row.name, kana=row.kana, kind=row.kind,
                                    org_id=row.jurisdiction)
        grant = Grant(
            id=index, fiscal_year=2025, municipality_code=row.code, state="cancelled",
            title=f"{row.name} 緑の保全と地球温暖化防止の普及啓発事業", category="warming_prevention",
            actions=["awareness", "cooperation"], summary="講習会と緑のカーテンの設置",
            project_start=date(2025, 6, 1), project_end=date(2026, 2, 28),
            project_cost_yen=1_200_000, requested_yen=1_000_000, awarded_yen=800_000,
            decision_date=date(2025, 5, 20), actual_cost_yen=750_000, outcomes="参加者120名",
            confirmed_yen=750_000, advanced_yen=0, paid_yen=750_000, refund_due_yen=750_000,
            first_submitted_at=datetime(2025, 5, 1, 1, tzinfo=timezone.utc))
        for form in FORMS:
            result.append(Sheet(form=form, grant=grant, municipality=municipality,
                                org=orgs[row.jurisdiction], issued_on=date(2025, 6, 1),
                                number=f"7特協環第{index}号" if FORMS[form].from_org else None,
                                reason="理由", amounts={"previous_awarded_yen": 900_000},
                                change={"requested_yen": 900_000}))
    return result


def engine_run(all_sheets: list[Sheet]) -> int:
    for sheet in all_sheets:
        hashlib.sha256(build(sheet)).hexdigest()
    return len(all_sheets)


def naive_run(all_sheets: list[Sheet]) -> int:
    for sheet in all_sheets:
        document = docx.Document()
        document.add_paragraph(sheet.title)
        document.add_paragraph(sheet.municipality.head_title)
        document.add_paragraph("下記のとおり通知します。")
        table = document.add_table(rows=6, cols=2)
        for row in table.rows:
            row.cells[0].text, row.cells[1].text = "事業名", sheet.grant.title
        buffer = io.BytesIO()
        document.save(buffer)
        hashlib.sha256(buffer.getvalue()).hexdigest()
    return len(all_sheets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", type=int, default=27)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    all_sheets = sheets()
    build(all_sheets[0])  # the template is made once per process, as in a server
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        for name, run in (("naive Document()", naive_run), ("forms.documents", engine_run)):
            started = time.perf_counter()
            count = run(all_sheets)
            rate = count / (time.perf_counter() - started)
            best[name] = max(best.get(name, 0.0), rate)
            print(f"  {name:18} {count} documents at {rate:7.1f} /s")
    ratio = best["forms.documents"] / best["naive Document()"]
    print(f"ratio forms.documents / naive = {ratio:.2f}x (best of {args.rounds}; aim >= 1.0x)")
    if not args.no_pdf:
        pdfs(all_sheets, args.sample)


def pdfs(all_sheets: list[Sheet], sample: int) -> None:
    if not pdf.available():
        print("PDF: skipped, LibreOffice with python3-uno is not installed")
        return
    documents = [build(sheet) for sheet in all_sheets]
    pdf.office.convert(documents[0])  # LibreOffice started before the clock, as in a server
    started = time.perf_counter()
    for document in documents:
        pdf.office.convert(document)
    kept = time.perf_counter() - started
    started = time.perf_counter()
    for document in documents[:sample]:
        pdf.convert_once(document)
    once = (time.perf_counter() - started) / sample * len(documents)
    print(f"PDF of {len(documents)} documents: one LibreOffice kept running {kept:.1f} s "
          f"({len(documents) / kept:.1f} /s); one soffice start per document {once:.1f} s "
          f"(from {sample} of them) = {once / kept:.1f}x faster (aim >= 5x)")

if __name__ == "__main__":
    main()
