"""Bylines, keywords and journal lines, as printed above an abstract."""
from __future__ import annotations

import pytest

from reader.ingest.frontmatter import _split_venue_line, parse_author_line, parse_keywords


@pytest.mark.parametrize("line, expected", [
    ("Javed Alam¹, Dr. Ghulam Mustafa²", [("Javed", "Alam"), ("Ghulam", "Mustafa")]),
    ("Arman Cohan†∗ Sergey Feldman†∗ Iz Beltagy† Doug Downey† Daniel S. Weld†,‡",
     [("Arman", "Cohan"), ("Sergey", "Feldman"), ("Iz", "Beltagy"), ("Doug", "Downey"), ("Daniel S.", "Weld")]),
    ("Nuala E. Tully, Karen M. Morgan, Helen M. Burke, and Hannah M. McGee",
     [("Nuala E.", "Tully"), ("Karen M.", "Morgan"), ("Helen M.", "Burke"), ("Hannah M.", "McGee")]),
    ("Ross G. DOUGLAS∗1, Rajni K. SHARMA†1", [("Ross G.", "Douglas"), ("Rajni K.", "Sharma")]),
    ("Ludwig van Beethoven and Maria de la Cruz", [("Ludwig", "van Beethoven"), ("Maria", "de la Cruz")]),
])
def test_bylines(line, expected):
    assert [(n.given, n.family) for n in parse_author_line(line)] == expected


@pytest.mark.parametrize("line", [
    "Pakistan's Role in Afghan Peace Process: An Analysis",   # a title
    "Hindawi Publishing Corporation",                          # a publisher
    "LIVING SCIENCE",                                          # a label in capitals
    "The strong social, cultural, religious, and political ties that exist between Pakistan and Afghanistan.",
])
def test_not_bylines(line):
    assert parse_author_line(line) == []


def test_keywords_split_and_deduplicated():
    assert parse_keywords("Pakistan, Afghanistan; TTP, Regional Stability, regional stability.") == [
        "Pakistan", "Afghanistan", "TTP", "Regional Stability"]


def test_venue_line_split_from_its_numbers():
    assert _split_venue_line("Clinical Science (2014) 126, 305–313 (Printed in Great Britain)") == (
        "Clinical Science", 2014)
    assert _split_venue_line("Review Journal of Social Psychology & Social Works") == (
        "Review Journal of Social Psychology & Social Works", None)


def test_abbreviated_volume_line_is_front_matter():
    """"Vol. 12" marks a journal line (the dot left no word boundary for the old pattern to end on)."""
    from reader.ingest.frontmatter import _front_kind

    assert _front_kind("Journal of Things, Vol. 12, No. 3, 2019") == "meta"
