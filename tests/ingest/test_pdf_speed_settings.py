"""What the PDF loader changes for its own speed is put back after it: MuPDF's colour management and
Python's cycle collector. And a turned page's boxes go to the layout frame and back unchanged."""
from __future__ import annotations

import gc

import pymupdf
import pytest

from reader.errors import ParseError
from reader.ingest.pdf import load_pdf
from reader.ingest.pdf_fragments import UPRIGHT, box_from_frame, box_to_frame


def _one_page_pdf() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "A line of text, set in a colour.", color=(0.2, 0.4, 0.6))
    data = doc.tobytes()
    doc.close()
    return data


def _icc_is_on() -> bool:
    """A colour converted through ICC differs from the plain formula: DeviceCMYK cyan to sRGB."""
    cmyk = pymupdf.Colorspace(pymupdf.CS_CMYK)
    pix = pymupdf.Pixmap(cmyk, pymupdf.IRect(0, 0, 1, 1), False)
    pix.set_pixel(0, 0, (255, 0, 0, 0))
    rgb = pymupdf.Pixmap(pymupdf.csRGB, pix)
    return rgb.pixel(0, 0) != (0, 255, 255)


def test_colour_management_and_the_collector_are_back_on_after_a_parse() -> None:
    before = _icc_is_on()
    assert gc.isenabled()
    load_pdf(_one_page_pdf(), "one.pdf")
    assert _icc_is_on() == before
    assert gc.isenabled()


def test_they_are_back_on_after_a_failed_parse_too() -> None:
    before = _icc_is_on()
    with pytest.raises(ParseError):
        load_pdf(b"%PDF-1.4 not really", "broken.pdf")
    assert _icc_is_on() == before
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        load_pdf(_one_page_pdf(), "one.pdf")
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("frame", [UPRIGHT, (0, 1, 0.0, 595.0), (0, -1, 842.0, 0.0), (-1, 0, 595.0, 842.0)])
def test_boxes_go_to_the_layout_frame_and_back(frame) -> None:  # type: ignore[no-untyped-def]
    box = (48.5, 78.1, 527.6, 772.0)
    turned = box_to_frame(box, frame)
    assert turned[0] <= turned[2] and turned[1] <= turned[3]
    assert box_from_frame(turned, frame) == pytest.approx(box)
