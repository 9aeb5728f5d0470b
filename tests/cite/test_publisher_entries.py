"""Reference entries as real publishers print them in their PDFs (reader/cite/references.py).

Each entry is copied from a publisher's PDF in the realpdf corpus (the file is named); the expected fields
were read off the printed page by hand and agree with the publisher's own JATS. No Qt.
"""
from __future__ import annotations

from reader.cite.references import parse_reference


def families(ref):
    return [a.family or a.literal for a in ref.author]


def test_mdpi_link_labels_after_the_entry_are_not_part_of_it():
    # mdpi-2026-ijerph23010076, reference 4: MDPI prints "[CrossRef] [PubMed]" links after the pages
    ref = parse_reference("4. Cunsolo, A.; Ellis, N.R. Ecological grief as a mental health response to climate "
                          "change-related loss. Nat. Clim. Change 2018, 8, 275–281. [CrossRef] [PubMed]")
    assert families(ref) == ["Cunsolo", "Ellis"]
    assert ref.title == "Ecological grief as a mental health response to climate change-related loss"
    assert ref.container_title == "Nat. Clim. Change"
    assert (ref.issued, ref.volume, ref.page) == ([2018], "8", "275-281")


def test_frontiers_link_line_after_the_entry_is_not_part_of_it():
    ref = parse_reference("Avery SV. Microbial cell individuality. Nat Rev Microbiol. (2006) 4:577–87. "
                          "PubMed Abstract | CrossRef Full Text | Google Scholar")
    assert ref.title == "Microbial cell individuality"
    assert ref.page == "577-87"
