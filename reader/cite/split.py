"""Split a reference list into entries.

Reference lists reach us in many shapes: one entry per paragraph, hard-wrapped over several lines with a
hanging indent, numbered (``1.``, ``[1]``, ``1)``) or not, as a markdown bullet list, and sometimes with
two entries fused into one by a PDF extractor (``... Pakistan-Afghanistan UMAROV, A. (2024). REGIONAL``).
The splitter works on lines, because line starts, blank lines and indents are what tell entries apart,
and returns each entry as fragments of those lines so callers keep exact offsets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median
from typing import Protocol

from reader.cite.labeller import default_labeller
from reader.cite.names import PARTICLE_PATTERN, PARTICLES


class PrintedLine(Protocol):
    """What the splitter needs of a line (``reader.ingest.lines.Line`` has it)."""

    text: str
    gap_before: bool
    indent: float

# A surname: capitalised, may hold apostrophes, hyphens and accents; may start with a particle.
_PARTICLE = PARTICLE_PATTERN
_CAPITALISED = r"[A-Z\u00C0-\u024F][\w'’\-]+"
_SURNAME = rf"(?:{_PARTICLE}[ -])*{_CAPITALISED}(?: (?:{_PARTICLE} )*{_CAPITALISED})?"
_ONE_WORD_SURNAME = r"[A-Z\u00C0-\u024F][\w'’\-]*"
# "J.", "J. A.", "J.-P.": every initial ends with a period, so each text matches in exactly one way
_INITIALS = r"[A-Z][a-z]?\.(?:[ -]?[A-Z][a-z]?\.){0,3}"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)[a-z]?"

# "Smith, J. “Title”" (MLA, Chicago) / "Smith, J." / "Smith, J.A.," / "Smith J," / "Smith AB," / "Smith AB." / "Smith, John" (Vancouver/APA/eLife)
_NAME_START = re.compile(
    rf"^{_SURNAME}(?:,\s*{_INITIALS}\s?[,.&(\"\u201c]|\s+[A-Z]{{1,3}}[,.]|,\s*[A-Z\u00C0-\u024F][^\W\d_]+[,. ]|,\s*\.|\s+et al)"
)
# "Reuters. (2022)", "Human Rights Watch, (2022)", "Aamaj News (2022)": a short name, then a year in brackets
_CORPORATE_START = re.compile(
    r"^[A-Z0-9\u00C0-\u024F][\w&'’.\-]*(?:\s+[\w&'’.\-]+){0,6}[.,]?\s?\((?:1[6-9]\d\d|20\d\d|n\.\s?d\.?|N\.D)", re.I)
_NUMBER_LABEL = re.compile(r"^\s*(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})[.)](?=\s)|(\d{1,4})\s+(?=[A-Z\u00C0-\u024F]))\s*")
# An APA entry starting in the middle of another one: "... Afghanistan UMAROV, A. (2024). REGIONAL"
_FUSED_APA = re.compile(
    rf"(?<=[^\W\d_] )(?<!\band )(?<!\bet al\. )(?={_ONE_WORD_SURNAME},\s?{_INITIALS}"
    rf"(?:(?:,\s(?:&\s|and\s)?|\s(?:&|and)\s){_SURNAME},\s?{_INITIALS}){{0,40}}\s?\(\s?{_YEAR}[^)]{{0,20}}\)\s?\.)"
)
_APA_START = re.compile(rf"^{_SURNAME},\s*(?:{_INITIALS}|\.)[^()]{{0,200}}?\(\s*(?:{_YEAR}|n\.\s?d\.)", re.I)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:])")
_ANY_YEAR = re.compile(r"\b(?:1[6-9]\d\d|20\d\d)\b|\bn\.\s?d\.", re.I)
_MID_ENTRY = re.compile(r"(?:[,;&]|\band)\s*$")
# a name list cut inside a compound surname: "..., and Gallardo" / "Peralta, L. P.", "..., Sue" / "Wing, I."
# (particles too: "..., and da Silva" / "Gesteira, A. (2025)")
_NAME_LIST_OPEN_END = re.compile(
    rf"(?:,|\band|&)\s+(?:{_PARTICLE}\s)*[A-Z\u00C0-\u024F][\w'’\-]*(?:\s[A-Z\u00C0-\u024F][\w'’\-]*)?\s*$")
# the names and the year in brackets, nothing after: "Nygren, B., ..., Lundman, B., et al. (2005)."
_NAMES_THEN_YEAR = re.compile(r"(?:\b[A-Z]\.|\bet al\.?)\s?\((?:1[6-9]\d\d|20\d\d)[a-z]?\)\.?\s*$")
_ENDS_ENTRY_STRICT = re.compile(r"(?:[.)\]]|\d|\b10\.\d{4,}/\S+|https?://\S+)\s*$")
# a line that stops inside a name list on an initial: "Kramer, A. W., H. M. Huizenga, A. C. Van Duijvenvoorde, and L."
_NAME_LIST_GOES_ON = re.compile(r"(?:,|\band|&)\s+(?:[A-Z]\.[\s\-]?){1,3}$")


def _ends_entry(text: str) -> bool:
    """Does this line end the way an entry ends (a period, a bracket, a number, a link), not inside a name list?"""
    text = text.rstrip()
    return bool(_ENDS_ENTRY_STRICT.search(text)) and not _NAME_LIST_GOES_ON.search(text, max(0, len(text) - 20))


@dataclass
class Fragment:
    """``lines[line].text[start:end]``: a piece of one line that belongs to an entry."""

    line: int
    start: int
    end: int


def looks_like_entry_start(text: str) -> bool:
    """Does this line open a reference entry (an author, an organisation, then a year)?

    A leading number is not enough: in an unnumbered list ``1999. The homeodomain ...`` is the year of an
    entry whose authors filled the line before (numbered lists are found by their sequence instead).
    """
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text.strip())  # "Abascal F , Zardoya R ." as some PDFs set it
    if not text or not (text[0].isupper() or text[0].isdigit() or text[:3].lower() in {"van", "von", "de ", "der", "di ", "da ", "al-", "el-", "le "}):
        return False
    if _NAME_START.match(text):
        return True
    return bool(_CORPORATE_START.match(text))


def opens_with_names(text: str) -> bool:
    """The trained labeller's reading of a line: a name list, then a title, year or journal on the same line:
    "Magurran, A. E. Measuring Biological Diversity. Blackwell, 2004.",
    "Anon. “Citebase Search”. 2008". Asked only where the line before ended an entry, so a title or a
    journal wrapped onto a new line is never read as names."""
    text = text.strip()
    if not text[:1].isupper():
        return False
    model = default_labeller()
    if model is None:
        return False
    labelled = model.label(" ".join(text.split()[:30]))
    if not labelled or labelled[0][1] != "author":
        return False
    k = next((i for i, (_tok, label) in enumerate(labelled) if label != "author"), len(labelled))
    # the names close with punctuation before the next field ("Anon.", "Magurran, A. E."), which a journal
    # wrapped onto its own line does not ("Mol Phylogenet Evol 40:8")
    closed = labelled[k - 1][0].text[-1:] in ".,"
    return closed and k < len(labelled) and labelled[k][1] in ("title", "year", "container")


def number_label(text: str) -> str:
    """The entry's number when the line opens with one (``[12]``, ``12.``, ``12)``), else ''."""
    m = _NUMBER_LABEL.match(text)
    return next((g for g in m.groups() if g), "") if m else ""


def split_references(lines: list[PrintedLine]) -> list[list[Fragment]]:
    """Group the lines of a reference list into entries; each entry is a list of line fragments."""
    lines = [ln for ln in lines if ln.text.strip()]
    if not lines:
        return []
    starts = _numbered_starts(lines)
    if starts is None:
        starts = _unnumbered_starts(lines)
    entries: list[list[Fragment]] = []
    for i, ln in enumerate(lines):
        frag = Fragment(i, 0, len(ln.text))
        if i in starts or not entries:
            entries.append([frag])
        else:
            entries[-1].append(frag)
    if _mostly_apa(lines, starts):
        entries = [part for entry in entries for part in _split_fused(lines, entry)]
    return entries


def _numbered_starts(lines: list[PrintedLine]) -> set[int] | None:
    """Line indexes where entries 1, 2, 3, ... begin, when the list is numbered."""
    numbered = [(i, int(number_label(ln.text))) for i, ln in enumerate(lines) if number_label(ln.text)]
    if len(numbered) < 3:
        return None
    starts: set[int] = set()
    expected = None
    for i, n in numbered:
        if expected is None:
            if n <= 2:
                expected = n
            else:
                continue
        # allow one missing number (an extractor may drop a line) but never a step backwards
        if n == expected or n == expected + 1:
            starts.add(i)
            expected = n + 1
    if len(starts) < 3 or len(starts) < 0.5 * len(numbered):
        return None
    if min(starts) > 0.5 * len(lines):
        # a numbered list opens with its first entry: numbers that start past the middle are an appendix's
        # items after an unnumbered list ("1. Random ...", "2. Doc2Vec ..." after an ACL list)
        return None
    return starts


def _unnumbered_starts(lines: list[PrintedLine]) -> set[int]:
    start_like = [looks_like_entry_start(ln.text) for ln in lines]
    hanging = _hanging_indents(lines)
    # entries set apart by a gap (a PDF list with space between entries, text with blank lines): a line
    # with no gap before it is inside an entry, unless it plainly opens one ("Smith, J. (2020)."); the
    # labeller's looser reading of names would take a journal wrapped onto its own line ("Environ. Res.
    # Public Health 16, 3986.") for the next entry's authors
    gapped = sum(1 for ln in lines[1:] if ln.gap_before) >= max(3, 0.5 * sum(start_like))
    starts: set[int] = {0}
    dated = bool(_ANY_YEAR.search(lines[0].text))  # has the entry begun at the last start shown a year yet?
    for i in range(1, len(lines)):
        ln, prev = lines[i], lines[i - 1]
        if not dated and (_MID_ENTRY.search(prev.text) or _NAME_LIST_OPEN_END.search(prev.text)) or \
                _NAMES_THEN_YEAR.search(prev.text):
            # "Pirvola U, Ylikoski J, Arumae U," / "Saarma M. 1992.", "..., and Gallardo" / "Peralta, L. P. (2024)":
            # the author list goes on; "Granieri, A., ..., et al. (2026)." / "Loneliness, the immune ...": the title
            # is still to come
            pass
        elif hanging[i] is not None:
            # hanging indent: the first line of an entry sits left of its continuation lines
            # (at a column's top no gap shows: an outdented line after an indented one that ended its entry
            # opens the next, "... Dis Aquat Organ, 64:201–209, 2005." / "O. Nedashkovskaya, S. Kim, ...")
            if ln.indent <= hanging[i] and (start_like[i] or ln.gap_before or
                                            (_ends_entry(prev.text) and (opens_with_names(ln.text) or
                                                                          (prev.indent > hanging[i] and ln.text[:1].isalpha())))):
                starts.add(i)
        elif ln.gap_before and (start_like[i] or _ends_entry(prev.text)):
            # a blank line separates entries, unless the text before it stops mid-entry (a page break
            # inside an entry, or a column fused by the extractor) and this line opens no entry
            starts.add(i)
        elif _ends_entry(prev.text) and (start_like[i] or (not gapped and opens_with_names(ln.text))):
            starts.add(i)
        dated = (dated and i not in starts) or bool(_ANY_YEAR.search(ln.text))
    return starts


def _hanging_indents(lines: list[PrintedLine]) -> list[float | None]:
    """For each line, the first-line indent of its page's hanging-indent layout (None: no hanging indent).

    Indents are compared page by page: columns and pages of a PDF sit at different offsets.
    """
    out: list[float | None] = []
    start = 0
    for i in range(1, len(lines) + 1):
        if i == len(lines) or getattr(lines[i], "page", None) != getattr(lines[start], "page", None):
            threshold = _hanging_indent(lines[start:i])
            out.extend([threshold] * (i - start))
            start = i
    return out


def _hanging_indent(lines: list[PrintedLine]) -> float | None:
    """The indent of first lines when the list is set with a hanging indent, else None."""
    if len(lines) < 4:
        return None
    indents = [ln.indent for ln in lines]
    low = min(indents)
    high_lines = [v for v in indents if v > low + 1.5]
    low_lines = [v for v in indents if v <= low + 1.5]
    # a real hanging indent: many continuation lines, all at about the same depth, clearly right of the
    # first lines (a few stray short lines further in, such as a centred word, are not one)
    if len(high_lines) < max(2, 0.2 * len(lines)) or len(low_lines) < 2:
        return None
    depth = median(high_lines)
    consistent = sum(1 for v in high_lines if abs(v - depth) <= 2)
    if depth - low >= 2 and consistent >= 0.7 * len(high_lines):
        return low + 1.5
    return None


def _mostly_apa(lines: list[PrintedLine], starts: set[int]) -> bool:
    firsts = [lines[i].text.lstrip("-•* ") for i in starts]
    apa = sum(1 for t in firsts if _APA_START.match(t))
    return apa >= 3 and apa >= 0.6 * len(firsts)


def _split_fused(lines: list[PrintedLine], entry: list[Fragment]) -> list[list[Fragment]]:
    """Split an entry where a second APA entry starts mid-line (a PDF extractor fused them)."""
    out: list[list[Fragment]] = [[]]
    for k, frag in enumerate(entry):
        text = lines[frag.line].text
        cut_from = frag.start
        # never cut at the very start of the entry: that is the entry's own author
        search_from = frag.start + (20 if k == 0 else 0)
        for m in _FUSED_APA.finditer(text, search_from, frag.end):
            before = text[max(frag.start, m.start() - 12):m.start()].split()
            if before and before[-1].lower() in PARTICLES:
                continue  # "..., & De Tomaso, A. (2002)": the last author's particle, not a fused entry
            if _NAME_LIST_OPEN_END.search(text, max(frag.start, m.start() - 40), m.start()):
                continue  # "..., and Gallardo Peralta, L. P. (2024)": the first word of a compound surname
            out[-1].append(Fragment(frag.line, cut_from, m.start()))
            out.append([])
            cut_from = m.start()
        out[-1].append(Fragment(frag.line, cut_from, frag.end))
    parts = [e for e in out if any(lines[f.line].text[f.start:f.end].strip() for f in e)]
    for a, b in zip(parts, parts[1:]):
        _return_borrowed_tail(lines, a, b)
    return parts


# "..., 28." / "..., 8(2), 269-278." / "... 5:158-163.": where a journal entry ends
_LOCATOR = re.compile(r",?\s(?!(?:19|20)\d\d\.)\d{1,4}(?:\s?\(\d{1,4}\))?(?:[,:]\s?\d{1,6}\s?[-–]\s?\d{1,6})?\.(?=\s|$)")


def _return_borrowed_tail(lines: list[PrintedLine], first: list[Fragment], second: list[Fragment]) -> None:
    """Two columns fused: the first entry stops mid-sentence and the second carries its ending.

    ``Akhtar ... Impacts on Pakistan-Afghanistan`` / ``UMAROV ... Studies, 28. Relations. Pakistan Social
    Sciences Review, 8(2), 269-278.``: the second entry ends twice; what follows its first ending is the
    rest of the first entry, and moves there.
    """
    def text_of(frags: list[Fragment]) -> str:
        return " ".join(lines[f.line].text[f.start:f.end].strip() for f in frags)

    if text_of(first).rstrip().endswith((".", "?", "!", ")")):
        return
    endings = [(k, m.end()) for k, f in enumerate(second)
               for m in _LOCATOR.finditer(lines[f.line].text, f.start, f.end)]
    if len(endings) < 2:
        return
    k, cut = endings[-2]  # the second entry's own ending; after it comes the first entry's last words
    frag = second[k]
    tail = [Fragment(frag.line, cut, frag.end), *second[k + 1:]]
    if not text_of(tail).strip():
        return
    del second[k + 1:]
    second[k] = Fragment(frag.line, frag.start, cut)
    first.extend(tail)


# what a publisher sets after the list: a licence ("©" may come out as "c⃝"), a note, how to cite the article
_NOTICE = re.compile(r"\s*(?:(?:©|\(c\)|c\u20dd|Copyright ©?)\s*(?:19|20)\d\d\b|"
                     r"(?:This )?(?:article|work) (?:is (?:an open access article )?)?(?:distributed|licensed) under|"
                     r"(?:Disclaimer/)?Publisher[’']s [Nn]ote\b|(?i:(?:how )?to cite this article|cite this article)\b)")


def separate_trailing_text(lines: list[PrintedLine], entries: list[list[Fragment]]) -> tuple[list[list[Fragment]], list[Fragment]]:
    """Cut what follows the last entry on the page ("Cite this article as ...", a publisher's notice).

    The last entry of a list swallows everything up to the next section. When it is far longer than the
    other entries, it is cut after its first line that ends like an entry ends; the rest is returned.
    """
    if len(entries) < 3:
        return entries, []
    # a publisher's notice set apart by gaps reads as entries of its own ("Disclaimer/Publisher’s Note: The
    # statements, ..." / "author(s) and contributor(s) ..."): it and all after it leave the list
    for n in range(2, len(entries)):
        first = entries[n][0]
        if _NOTICE.match(lines[first.line].text, first.start, first.end):
            return entries[:n], [f for entry in entries[n:] for f in entry]
    if len(entries[-1]) < 2:
        return entries, []
    last, notice = entries[-1], []
    for k in range(1, len(last)):
        # a licence notice set after the list ("© 2016 by the authors; licensee MDPI, ..."), however short
        if _NOTICE.match(lines[last[k].line].text, last[k].start, last[k].end):
            last, notice = last[:k], last[k:]
            break
    sizes = sorted(sum(f.end - f.start for f in e) for e in entries[:-1])
    if sum(f.end - f.start for f in last) <= max(500, 2.5 * sizes[len(sizes) // 2]):
        return entries[:-1] + [last], notice
    for k in range(1, len(last)):
        before = lines[last[k - 1].line].text[last[k - 1].start:last[k - 1].end]
        if _ENDS_ENTRY_STRICT.search(before) and not looks_like_entry_start(lines[last[k].line].text):
            return entries[:-1] + [last[:k]], last[k:] + notice
    return entries[:-1] + [last], notice
