"""Paragraphs of a PDF page that stand outside the reading flow: captions, footnotes and matter.

Each gets a ``kind`` (the Block kind it is written as) before broken paragraphs are joined, so that a
sentence cut by a figure caption or a page-foot note is joined across it, and the caption or note is
kept as a block of its own instead of being spliced into the sentence.

Only PDF lines are classified (they carry font sizes and positions); text files keep their paragraphs.
"""
from __future__ import annotations

import re
from collections import Counter

from reader.ingest.matter import is_matter
from reader.ingest.paragraphs import Paragraph

# "Figure 3.", "Fig. 2:", "Table 1 |", "Table 2 Summary of ...", "Scheme 1", "Box 2" (a sentence such as
# "Figure 3 shows ..." goes on in lower case and is running text)
CAPTION = re.compile(
    r"^(?i:fig(?:ure)?s?|(?:continued\s+)?table|scheme|box|plate|chart|graph)\.?\s*(?:[A-Z]?\d{1,3}[A-Za-z]?|[IVX]{1,5})"
    r"(?:\s*[.:|—–]|\s+[A-Z(\[]|\s*$)")
# the notes under a table ("Abbreviations: ...", "Note: ...", "Source: ...")
_TABLE_NOTE = re.compile(r"^(?:abbreviations?|notes?|sources?)\s*[:.]\s*\S", re.IGNORECASE)
# a page-foot note: a mark, then the note ("* Corresponding author", "1 Present address", "a These ...")
_NOTE_MARK = re.compile(r"^(?:[*†‡§¶#]+|\d{1,2}|[a-z])\s*\S")


def classify_asides(paragraphs: list[Paragraph]) -> None:
    """Set ``kind`` on the PDF paragraphs that are captions, matter or page-foot notes."""
    sizes: Counter[float] = Counter()
    for p in paragraphs:
        for ln in p.lines:
            if ln.size:
                sizes[round(ln.size * 2) / 2] += len(ln.text)
    if not sizes:
        return
    # the body's size: the most used one, or a larger one used nearly as much (long tables or a long
    # reference list in small type can outweigh the running text)
    top_size, top_count = sizes.most_common(1)[0]
    body = max(size for size, n in sizes.items() if n >= 0.35 * top_count and size <= 1.5 * top_size)
    _join_lone_labels(paragraphs)
    table_feet = _table_feet(paragraphs)
    for p in paragraphs:
        if p.heading_level or p.kind or not p.first.size:
            continue
        text = " ".join(ln.text.strip() for ln in p.lines)
        if CAPTION.match(text) and not CAPTION_SENTENCE.match(text):
            p.kind = "caption"
        elif is_matter(text) or _is_affiliation_list(p, text) or _is_author_address(p, text, body) \
                or _is_address_line(text) or p.first.page <= 2 and _is_citation_line(text):
            p.kind = "matter"
        elif _TABLE_NOTE.match(text) and p.first.size < body - 0.4:
            p.kind = "footnote"  # a table's notes under it, in small type: out of the flow like the table
        elif _is_foot_note(p, body):
            # a note naming departments or positions is the authors' affiliations: matter, whose raised
            # numbers are no citations
            p.kind = "matter" if _AFFILIATION.search(text) or _EMAIL.search(text) else "footnote"
        elif _under_table(p, table_feet, body) is not None:
            p.kind = "footnote"  # a table's notes that no label opens ("Regression of ...", "The chosen ...")
        if p.kind == "footnote":
            _extend_table_foot(p, table_feet, body)  # a next note runs on under this one
    paragraphs[:] = _join_wrapped_matter(paragraphs, body)


# a caption's label alone on its line, nothing after the number ("FIGURE 2", "Table 3.")
_LONE_LABEL = re.compile(r"^(?i:fig(?:ure)?s?|table|scheme|box|plate|chart)\.?\s*(?:[A-Z]?\d{1,3}[A-Za-z]?|[IVX]{1,5})"
                         r"\s*[.:|]?$")


def _join_lone_labels(paragraphs: list[Paragraph]) -> None:
    """A caption whose label stands alone on its line, its text set right under it (Frontiers sets "FIGURE 2"
    in small capitals over the caption): the paragraph right under the label, in reading order or not (a
    label under a column is read before the other column, its full-width text after it), is the caption's."""
    for p in list(paragraphs):
        if p.heading_level or len(p.lines) != 1 or not p.first.size or not _LONE_LABEL.match(p.first.text.strip()):
            continue
        label = p.first
        under = next((q for q in paragraphs if q is not p and not q.heading_level and not q.kind
                      and _text_under_label(label, q.first)), None)
        if under is not None:
            p.lines.extend(under.lines)
            paragraphs.remove(under)


def _text_under_label(label, first) -> bool:  # type: ignore[no-untyped-def]
    """The line starts at the label's left edge right under it (less than a line of the larger type between)."""
    if label.bbox is None or first.bbox is None or label.page != first.page or not first.size:
        return False
    gap = first.bbox[1] - label.bbox[3]
    return abs(first.bbox[0] - label.bbox[0]) < 2 and -0.3 * first.size < gap < 0.8 * max(label.size, first.size)


def _table_feet(paragraphs: list[Paragraph]) -> dict[int | None, list[tuple[float, float, float, float]]]:
    """The regions of the tables of each page (their captions carry them)."""
    feet: dict[int | None, list[tuple[float, float, float, float]]] = {}
    for p in paragraphs:
        for ln in p.lines:
            if ln.float_kind == "table" and ln.float_bbox is not None:
                feet.setdefault(ln.page, []).append(ln.float_bbox)
    return feet


def _under_table(p: Paragraph, feet: dict[int | None, list[tuple[float, float, float, float]]],
                 body: float) -> int | None:
    """A paragraph in small type that starts right under a table's region (or under the notes already found
    there), within its width: the table's notes, whatever their first word (a journal that sets them as a
    plain paragraph under the table). Gives the index of the table among its page's ``feet``."""
    first = p.first
    if first.bbox is None or not all(ln.size and ln.size < body - 0.4 for ln in p.lines):
        return None
    if len(p.lines) == 1 and _DOI_ALONE.match(first.text.strip()):
        return None  # the table's DOI goes with the notes above it (``_join_wrapped_matter``)
    x0, top, x1, _ = first.bbox
    right = max((ln.bbox[2] for ln in p.lines if ln.bbox), default=x1)
    # (less than a line of white between: a section run on under the table in small type leaves more)
    return next((k for k, (rx0, _, rx1, rbottom) in enumerate(feet.get(first.page, ()))
                 if -0.5 * first.size < top - rbottom < first.size and x0 >= rx0 - 2 and right <= rx1 + 2), None)


def _extend_table_foot(p: Paragraph, feet: dict[int | None, list[tuple[float, float, float, float]]],
                       body: float) -> None:
    """A note found under a table moves the table's foot down to the note's last line."""
    k = _under_table(p, feet, body)
    last = p.lines[-1].bbox
    if k is not None and last is not None:
        rx0, rtop, rx1, rbottom = feet[p.first.page][k]
        feet[p.first.page][k] = (rx0, rtop, rx1, max(rbottom, last[3]))


def _join_wrapped_matter(paragraphs: list[Paragraph], body: float) -> list[Paragraph]:
    """A first page's side panel sets each item on a pitch that reads as a paragraph gap, so an item
    wrapped onto a second line ("Academic Editors: Adriano / Zamperini and Marialuisa Menegatto") comes
    as a paragraph of its own that no rule names; it is the rest of the matter item above it: same page,
    same small type and left edge, right under it, and the item above has not ended its sentence."""
    out: list[Paragraph] = []
    for p in paragraphs:
        before = out[-1] if out else None
        # (a label alone, "*Correspondence:", takes the item under it even when that is matter itself)
        if before is not None and before.kind == "matter" and not p.heading_level \
                and (not p.kind or p.kind == "matter" and before.lines[-1].text.rstrip().endswith(":")) \
                and _runs_on_below(before.lines[-1], p.first, body):
            before.lines.extend(p.lines)
            continue
        if before is not None and before.kind == "matter" and not p.kind and not p.heading_level \
                and _KEYWORDS_LABEL.match(before.lines[-1].text.strip()) and _right_under(before.lines[-1], p.first):
            before.lines.extend(p.lines)  # the list under a side panel's "KEYWORDS" (set in the text's size)
            continue
        if before is not None and before.kind in ("caption", "footnote") and not p.kind and len(p.lines) == 1 \
                and p.first.page == before.first.page and _DOI_ALONE.match(p.first.text.strip()):
            # the float's own DOI under its caption or its notes (".../journal.pone.0193451.g001")
            before.lines.extend(p.lines)
            continue
        if not p.kind and not p.heading_level and len(p.lines) == 1 and p.first.size and \
                p.first.size < body - 0.4 and _DOI_ALONE.match(p.first.text.strip()):
            p.kind = "matter"  # a DOI alone in small type (a table's, under notes that no label opens)
        out.append(p)
    return out


_DOI_ALONE = re.compile(r"^(?:doi:?\s*|https?://(?:dx\.)?doi\.org/)10\.\d{4,9}/\S+$", re.IGNORECASE)


_KEYWORDS_LABEL = re.compile(r"^(?:KEYWORDS|KEY WORDS)$")


def _right_under(last, first) -> bool:  # type: ignore[no-untyped-def]
    """The next line starts at the same left edge, within two and a half lines of the larger type."""
    if last.bbox is None or first.bbox is None or last.page != first.page:
        return False
    step = first.bbox[3] - last.bbox[3]
    return abs(first.bbox[0] - last.bbox[0]) < 2 and 0 < step < 2.5 * max(last.size, first.size)


def _runs_on_below(last, first, body: float) -> bool:  # type: ignore[no-untyped-def]
    if last.bbox is None or first.bbox is None or last.page != first.page or not last.size:
        return False
    size = last.size
    step = first.bbox[3] - last.bbox[3]
    return (first.size < body - 0.4 and abs(first.size - size) < 0.3 and abs(first.bbox[0] - last.bbox[0]) < 2
            and 0 < step < 2.2 * size and not last.text.rstrip().endswith((".", "!", "?"))
            and not _DOI_ALONE.match(last.text.strip()))


# "Table 1 The results ..." is a caption, "Table 1 The" is rare in a sentence; but "Figure 2 A and B show"
# is a sentence: a label and a panel letter followed by "and"/"show"/"shows"
CAPTION_SENTENCE = re.compile(r"^\S+\.?\s*[A-Z]?\d+[A-Za-z]?\s*(?:[A-Z]\s+)?(?:and|shows?|illustrates?|depicts?|"
                               r"presents?|summari[sz]es|lists?|gives?|displays?|reports?)\b")


_AFFILIATION = re.compile(r"\b(?:Department|Dept\.|University|Universit[éäà]|Institute|College|School|Faculty|"
                          r"Laborator(?:y|ies)|Hospital|Cent(?:re|er)|Academy|Professor|Lecturer|Reader|"
                          r"Principal|Postgraduate Student|Scholar)\b")


_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+")  # a correspondence note names an address


# how to cite the paper, on its own line at the front with the DOI: "J Med Internet Res 2026;28:e82426; doi:
# 10.2196/82426" (JMIR, under the abstract), "Cambridge Prisms: Global Mental Health, 13, e78, 1-10 https://doi.org/
# 10.1017/gmh...." (the end of a "Cite this article" box): the journal's name in capitals, a volume, a page or an
# article number, the DOI
_CITATION_LINE = re.compile(
    r"^[A-Z][\w&’'-]*\.?:?(?:\s+(?:[A-Z][\w&’'-]*\.?:?|of|and|in|for|the|on))*,?\s+(?:\(?(?:19|20)\d\d\)?\s*[;,]\s*)?"
    r"\d{1,4}\s*(?:\(\d{1,4}\))?\s*[:;,]\s*(?:Article\s+)?e?\d+(?:\s*[–-]\s*\d+)?[;,.]?(?:\s*,?\s*\d+\s*[–-]\s*\d+)?\s*"
    r"(?i:doi:?\s*|https?://(?:dx\.)?doi\.org/)10\.\d{4,9}/\S+$")


def _is_citation_line(text: str) -> bool:
    return len(text) < 200 and bool(_CITATION_LINE.match(" ".join(text.split())))


def _is_affiliation_list(p: Paragraph, text: str) -> bool:
    """Affiliations set as a list with raised numbers ("1School of Public Health, ... 2Child Health ..."),
    as BMC prints them under "Author details" at the end."""
    first = p.first
    return bool(first.superscripts) and first.superscripts[0][0] == 0 \
        and len(_AFFILIATION.findall(text)) >= 2 and not text.rstrip().endswith(("?", "!"))


def _is_author_address(p: Paragraph, text: str, body: float) -> bool:
    """An author's address in small type with the e-mail address, without a note mark (Springer sets one
    per author beside the abstract: "D. Brychkov (*) · C. Domegan / J.E. Cairnes School of Business ... /
    e-mail: dzmitry.brychkov@..."; "A. Singh / e-mail: a.singh@tudelft.nl")."""
    if not p.first.size or p.first.size >= body - 0.4 or len(p.lines) > 8 or not _EMAIL.search(text):
        return False
    return bool(_EMAIL_LABEL.search(text) or _AFFILIATION.search(text))


def _is_address_line(text: str) -> bool:
    """A short line of names and e-mail addresses, no sentence (a side panel's correspondence, cut off from
    its label: "aksrivas2007@gmail.com Neriman Tuba Barlas tuba.barlas@ege.edu.tr; tubabarlas@gmail.com")."""
    return len(text) < 200 and bool(_EMAIL.search(text)) and not _FUNCTION_WORDS.search(text)


_FUNCTION_WORDS = re.compile(r"\b(?:the|of|and|to|is|are|in|for|with|at|by|from|on|or|be|please|contact)\b", re.I)
_EMAIL_LABEL = re.compile(r"\be-?mail(?: address(?:es)?)?\s*:", re.IGNORECASE)


def _is_foot_note(p: Paragraph, body: float) -> bool:
    """A short note in small type at the foot of its page, opening with a note mark."""
    first = p.first
    if first.bbox is None or first.size >= body - 0.4 or len(p.lines) > 6:
        return False
    text = first.text.strip()
    if text[:1] in _SYMBOL_MARKS and len(text) > 1:
        return True  # "* Mohammad Arfan Ikram": a symbol opens a note whether or not it is raised
    if not _NOTE_MARK.match(text) or not first.superscripts or first.superscripts[0][0] > 1:
        return False
    return True


_SYMBOL_MARKS = "*†‡§¶∗"
