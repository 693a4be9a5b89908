"""A visual check of the nine forms for a ward, a city, a town and a village: each page image
is compared with the committed reference image (tests/reference/forms/) within a small
tolerance, so that a change of layout is seen. After an intended change, draw the references
again with ``make form-references`` and look at them before committing."""

import shutil

import pytest
from PIL import Image, ImageChops

from forms import pdf
from tests import form_images
from tests.support import need

TOLERANCE = 0.005  # at most this share of the pixels may differ clearly (by over 64 of 255)


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    need(pdf.available(), "LibreOffice with python3-uno is not installed "
                          "(apt-get install libreoffice-writer-nogui python3-uno)")
    need(shutil.which("pdftoppm") is not None, "pdftoppm is not installed (apt-get install poppler-utils)")
    return form_images.draw(tmp_path_factory.mktemp("forms"))


def changed(image: Image.Image, reference: Image.Image) -> float:
    """The share of pixels that differ clearly; a page of another size differs entirely."""
    if image.size != reference.size:
        return 1.0
    histogram = ImageChops.difference(image, reference).histogram()
    return sum(histogram[65:]) / (image.size[0] * image.size[1])


@pytest.mark.parametrize("name", sorted(form_images.sheets()))
def test_every_form_looks_as_its_reference_image(drawn, name):
    reference = Image.open(form_images.REFERENCES / f"{name}.png").convert("L")
    share = changed(drawn[name], reference)
    assert share <= TOLERANCE, f"{name}: {share:.2%} of the page changed (make form-references)"


def test_the_check_sees_a_changed_layout(drawn):
    """The comparison can fail: another form, or the same one moved down a line, is seen."""
    city_award = drawn["city-form2"]
    assert changed(city_award, drawn["city-form7"]) > TOLERANCE
    moved = Image.new("L", city_award.size, 255)
    moved.paste(city_award, (0, 8))
    assert changed(moved, city_award) > TOLERANCE
