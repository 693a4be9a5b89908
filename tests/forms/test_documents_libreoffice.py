"""A real client opens the documents: LibreOffice converts each form to PDF, and the PDF
shows the municipality, the amount and the 和暦 date."""

import re

from pypdf import PdfReader

from grants.core.wareki import wareki_date
from tests.documents_support import issue_all_nine, to_pdf

AMOUNTS = {1: "金400,000円", 2: "金300,000円", 3: "金400,000円", 4: "金350,000円",
           5: "金350,000円", 6: "金550,000円", 7: "金350,000円", 8: "金350,000円",
           9: "金350,000円"}


def test_libreoffice_opens_every_form(session, tmp_path):
    nine = issue_all_nine(session)
    pdf = to_pdf({f"form{form}": document.content for form, document in nine.items()}, tmp_path)
    for form, document in nine.items():
        reader = PdfReader(pdf / f"form{form}.pdf")
        assert len(reader.pages) == 1, f"様式第{form}号 should fit one A4 page"
        page = reader.pages[0]
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        shown = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
        municipality = "千代田区" if form == 3 else "八王子市"
        assert municipality in shown, form
        assert AMOUNTS[form] in shown, form
        assert wareki_date(document.issued_on) in shown, form
