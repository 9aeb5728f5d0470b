"""Annotating a paper with its citations: reference fields, in-text markers, and the links between them.

``annotate(paper)`` is the one entry point loaders use: it parses every reference entry that has no
fields yet, decides the paper's citation style, finds the markers in the body and links them. JATS
papers keep the exact links their publisher tagged.
"""
from __future__ import annotations

from reader.cite.link import ReferenceIndex, link_markers
from reader.cite.markers import (Marker, drop_enumerations, find_author_only, find_author_year, find_flattened_superscripts,
                                 find_numeric, find_ref_numbers, find_superscript_numbers, keep_in_a_column_of_citations,
                                 keep_next_in_sequence)
from reader.cite.references import fill_reference, repeats_authors
from reader.model import Paper

# Blocks whose text can cite (a taxonomy heading can: "Conasprella stenostoma (Sowerby I, 1850) [37]");
# the title, the reference list, affiliations and licence lines (``matter``) and figure text cannot.
CITING_BLOCKS = ("paragraph", "abstract", "caption", "heading", "footnote")
# Tables are searched in the style the other blocks show: numbers in cells would skew the choice.
TABLE_BLOCKS = ("table",)
# Where a bare number may be a citation ("(12)", a superscript, "disease12"): running text and captions.
# Table cells ("(0) (1) (8)", "t1", "12.5") and footnote marks are full of numbers that cite nothing.
PROSE_BLOCKS = ("paragraph", "abstract", "caption", "heading")


def annotate(paper: Paper) -> None:
    """Fill reference fields, then find and link the in-text citations (not for tagged JATS)."""
    for ref in paper.references:
        if not (ref.author or ref.issued or ref.title):
            fill_reference(ref)
    for above, ref in zip(paper.references, paper.references[1:]):
        if not ref.author and above.author and repeats_authors(ref.raw):  # "——, Title": the same authors
            ref.author = list(above.author)
    if paper.format == "jats":
        return
    index = ReferenceIndex(paper.references)
    paper.citations = link_markers(find_markers(paper, index), index, paper.text)


def find_markers(paper: Paper, index: ReferenceIndex) -> list[Marker]:
    """All citation markers of the paper's body, in its own style."""
    spans = [(b.start, b.end) for b in paper.blocks if b.kind in CITING_BLOCKS]
    prose = [(b.start, b.end) for b in paper.blocks if b.kind in PROSE_BLOCKS]
    tables = [(b.start, b.end) for b in paper.blocks if b.kind in TABLE_BLOCKS]
    text = paper.text
    max_number = max(index.by_number, default=0)
    numeric = [mk for a, b in spans for mk in find_numeric(text, a, b, max_number)]
    numbered_list = sum(1 for r in paper.references if r.citation_number) >= max(1, len(paper.references) // 2)
    known = frozenset(names[0] for names in index.families.values() if names)
    works = frozenset((index.families[r.id][0], r.year) for r in paper.references if index.families[r.id] and r.year)
    author_year = [] if numbered_list else [mk for a, b in spans for mk in find_author_year(text, a, b, known, works)]
    if not numbered_list and len(author_year) < 3 and known:
        # MLA prints no year in the text: "(Locker)", "(Birnbaum and Staskal; McDonald)"
        author_only = [mk for a, b in spans for mk in find_author_only(text, a, b, known)]
        if len(author_only) > max(len(author_year), 2 * len(numeric)):
            return author_only
    if not numbered_list and len(author_year) >= len(numeric):
        in_tables = [mk for a, b in tables for mk in find_author_year(text, a, b, known)]
        return sorted(author_year + in_tables, key=lambda m: m.start)
    numeric += [mk for a, b in tables for mk in find_numeric(text, a, b, max_number)]
    numeric.sort(key=lambda m: m.start)
    inside = [(s, e) for s, e in paper.superscripts if any(a <= s and e <= b for a, b in prose)]
    superscript = find_superscript_numbers(text, inside, max_number)
    if paper.references and (len(numeric) < 3 or numbered_list):
        # "(12)" style, where brackets are scarce (a few "[25]" may sit in figure legends)
        parenthetical = drop_enumerations(keep_next_in_sequence(
            [mk for a, b in prose for mk in find_numeric(text, a, b, max_number, parenthetical=True, doubtful=True)]),
            text)
        # a paper that cites by raised numbers numbers its equations "(12)": those are no citations
        by_superscript = len(superscript) >= max(3, 2 * len(parenthetical))
        if (len(numeric) < 3 or len(parenthetical) > 2 * len(numeric)) and not by_superscript:
            numeric = parenthetical
            if len(parenthetical) > 2 * len(superscript):  # tables, in the style the running text shows
                numeric = sorted(numeric + drop_enumerations(
                    [mk for a, b in tables for mk in keep_in_a_column_of_citations(
                        find_numeric(text, a, b, max_number, parenthetical=True, doubtful=True))], text),
                    key=lambda m: m.start)
    if not paper.superscripts and numbered_list and not superscript:
        # numbers glued to words, as a text extractor flattens superscripts ("disease1.", "et al.2"), when
        # the paper uses them far more than brackets (a few "[25]" may sit in its figure legends)
        flattened = find_flattened_superscripts(text, prose, max_number, more_than=max(2, 2 * len(numeric)))
        if flattened:  # at least 3, and more than twice the other numeric markers
            numeric, superscript = [m for m in numeric if text[m.start] == "["], flattened
    bracketed = sum(1 for m in numeric if text[m.start] == "[")
    if superscript and len(numeric) >= 10 and bracketed * 2 >= len(numeric) and \
            (len(numeric) >= 4 * len(superscript) or bracketed >= len(superscript)):
        # a paper that cites in brackets raises only footnote marks, exponents, affiliations and allele
        # numbers ("Library).¹", "tkv⁸", "mad¹⁻²"); a paper citing by raised numbers has far fewer brackets
        # than raised numbers (a few "[25]" in its figure legends)
        superscript = []
    if superscript:  # a PDF that sets its citation numbers raised
        taken = [(m.start, m.end) for m in numeric]
        numeric += [m for m in superscript if not any(a < m.end and m.start < b for a, b in taken)]
        numeric.sort(key=lambda m: m.start)
    if numbered_list and numeric:
        # "whereas ref. 2 suggested": a number on the line after "ref." cites in any numbered style
        taken = [(m.start, m.end) for m in numeric]
        numeric += [m for a, b in prose for m in find_ref_numbers(text, a, b, max_number)
                    if not any(s < m.end and m.start < e for s, e in taken)]
        numeric.sort(key=lambda m: m.start)
    return numeric
