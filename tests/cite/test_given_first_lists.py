"""Reference entries whose names come given-name first, as LaTeX's bibliography styles print them.

natbib's plainnat/abbrvnat/unsrtnat (and the ACL, NeurIPS, ICML and ACM styles) end the names with a full stop
after "and" the last author; elsarticle-num separates every field by commas. Each expected value is the
entry's own wording, read by hand.
"""
from __future__ import annotations

import pytest

from reader.cite.references import parse_reference


@pytest.mark.parametrize("raw, families, title, venue", [
    ("M. Acar, J. T. Mettetal, and A. van Oudenaarden. Stochastic switching as a survival strategy in "
     "fluctuating environments. Nat Genet, 40:471–475, 2008.",
     ["Acar", "Mettetal", "van Oudenaarden"],
     "Stochastic switching as a survival strategy in fluctuating environments", "Nat Genet"),
    ("W. Hong, J. Smith and L. Luo. Genetic control of wiring. Nature, 1:2–3, 2010.",
     ["Hong", "Smith", "Luo"], "Genetic control of wiring", "Nature"),
    ("B. C. Yoon, H. Jung, A. Dwivedy, C. M. O’Hare, K. H. Zivraj, C. E. Holt, Local translation of "
     "extranuclear lamin B promotes axon maintenance, Cell 148 (2012) 752–764.",
     ["Yoon", "Jung", "Dwivedy", "O’Hare", "Zivraj", "Holt"],
     "Local translation of extranuclear lamin B promotes axon maintenance", "Cell"),
    ("R. Smith, S. Agarwala, et al., Genotype to phenotype: a complex problem, Science 328 (2010) 469.",
     ["Smith", "Agarwala"], "Genotype to phenotype: a complex problem", "Science"),
])
def test_given_first_names_end_where_the_title_starts(raw, families, title, venue) -> None:
    ref = parse_reference(raw)
    assert [a.family for a in ref.author] == families
    assert ref.title == title
    assert ref.container_title == venue


@pytest.mark.parametrize("raw, title", [
    ("J. Smith, A. Jones, Megakaryocytopoiesis in mice, Proceedings of the National Academy of Sciences of the "
     "United States of America 106 (2009) 1–5.", "Megakaryocytopoiesis in mice"),
    ("F. S. Chapin, G. R. Shaver, Arctic vascular plants, in: F. S. Chapin (Ed.), Arctic Ecosystems in a Changing "
     "Climate, Academic Press, San Diego, 1992, pp. 193–211.", "Arctic vascular plants"),
    ("Joo, C., Ha, T., 2008. Single molecule FRET with total internal reflection microscopy, in: Selvin, P.R., "
     "Ha, T. (Eds.), Single Molecule Techniques: A Laboratory Manual. Cold Spring Harbour, NY, USA.",
     "Single molecule FRET with total internal reflection microscopy"),
])
def test_comma_separated_titles_end_before_the_journal_or_the_book(raw, title) -> None:
    assert parse_reference(raw).title == title
