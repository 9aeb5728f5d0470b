"""Find in-text citation markers in reading text: author-year and numeric.

Author-year: parenthetical groups ``(Shahbaz, 2023)``, ``(Cao et al., 2002; Czermin et al., 2002)``,
``(see Margueron and Reinberg, 2010 for a recent review)``, ``(Lartillot et al., 2007, 2009)`` (two works),
and narrative ones ``Ali (2020)``, ``Margueron and Reinberg (2010)``, ``Bolsinger et al. (2024)``.
Numeric: ``[1]``, ``[1,2]``, ``[3-5]`` (three works), ``[3]–[5]``, ``[3, p. 5]`` and
``[47, 48, (Closson K, ..., unpublished)]`` (the numbers), ``ref. 2`` in a numbered paper, raised numbers, and
``(12)`` where a paper uses them.
What is not a citation: ``(1947-1998)``, ``(TTP)``, ``(August 2021)``, ``(p < 0.05)``, ``(Figure 1A)``.

Every pattern is bounded (no nested repetition over unbounded text), so a 1 MB paragraph or a stray
parenthesis costs linear time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat

from reader.cite.names import PARTICLE_PATTERN, PARTICLES, fold

YEAR = r"(?:1[5-9]\d\d|20\d\d)(?:[a-z](?![a-zA-Z]))?"
# name particles, in any case: "van der Berg", "El Bakkouri", "De Tomaso", "Le Douarin"
_PARTICLE = rf"(?i:{PARTICLE_PATTERN})"
_CAPWORD = r"[A-Z\u00C0-\u024F][\w'’\-\u2010\u2011]*[\w\u00C0-\u024F]"  # Wiley's hyphen: "Miles‐Novelo"
# "Smith", "van der Berg", "El Bakkouri", "Bermúdez de Castro", "D’Onorio de Meo"
_SURNAME = rf"(?:{_PARTICLE}[ -]){{0,3}}{_CAPWORD}(?:\s(?:{_PARTICLE}\s){{1,2}}{_CAPWORD})?"
_ET_AL = r",?\s+et\s*al\.?"  # "Lee et al.", "Ronan, et al."
# One to six words for an organisation ("United Nations official", "World Health Organization")
# (a word of it never starts with a digit: "World Health Organization 1987, 2005" is the name, then two years)
_ORGANISATION = r"[A-Z\u00C0-\u024F][\w'’&.\-/]*(?:\s+(?!and\b|et\b|\d)[\w'’&.\-/]+){0,5}"
# a person ("Smith", "Smith et al.", "Cushing, Sheiman, and Maizels"), or an organisation or a two-word surname
# ("World Health Organization and UNICEF", "Russell Stothard et al.")
# "Lutz, Passmore, et al.": as many names as tell two works of the same first author and year apart (APA)
_NAMES = (rf"(?:{_SURNAME}(?:{_ET_AL}|(?:\s*,\s*{_SURNAME}){{1,2}}{_ET_AL}|"
          rf"(?:\s*,\s*{_SURNAME}){{0,4}},?\s+(?:and|&)\s+{_SURNAME})?"
          rf"|{_ORGANISATION}(?:{_ET_AL}|\s+(?:and|&)\s+{_ORGANISATION})?)")
_PREFIX = (r"(?:(?:see(?: also)?|e\.\s?g\.|i\.\s?e\.|cf\.|compare|reviewed (?:in|by)|for (?:a )?reviews?,?(?: see)?|"
           r"but see|also|as in|as reviewed (?:in|by)|and|or|in|by|from|after|following|modified from|adapted from|"
           r"data from)\s*,?\s*)*")
# "Lutz (2023 study 1; 2023 study 2)": which study of the work
_YEAR_NOTE = r"(?:\s(?:[Ss]tud(?:y|ies)|[Ee]xperiments?|[Ss]amples?)\s?\d{1,2}[a-z]?)?"
_NO_YEAR = r"(?i:n\.\s?d\.|in press|forthcoming)"
# (a letter after the year is its suffix, "2010a, b", never a page: "2020, p. 6")
_SUFFIX = r"[a-z](?![a-zA-Z.])"
_ITEM = re.compile(
    rf"(?P<prefix>{_PREFIX})(?P<names>{_NAMES})\s*,?\s+(?P<years>{YEAR}|{_NO_YEAR}){_YEAR_NOTE}"
    rf"(?P<more>(?:\s*,\s*(?:{YEAR}|{_NO_YEAR}|{_SUFFIX}))*)")
_PAREN = re.compile(r"[(\[]([^()\[\]\n]{4,600})[)\]]")
# "Toenders et al. ( 2024 )": some publishers' PDFs set a space inside the brackets
# and "(see Smith [2020] for a review)" sets the year of a narrative citation inside a bracket in square ones
_NARRATIVE_YEARS = re.compile(rf"[(\[]\s?(?P<years>{YEAR}{_YEAR_NOTE}(?:\s*[,;]\s*(?:{YEAR}{_YEAR_NOTE}|[a-z](?![a-zA-Z])))*)"
                              rf"(?:\s*[,:]\s*[^()\[\]\n]{{1,40}})?\s?[)\]]")
# "Stuart and Ozawa-Meida, (2020)": a comma may stand between the names and the bracket
_NARRATIVE_NAMES = re.compile(rf"(?<![\w\-'’.])(?P<names>{_SURNAME}(?:{_ET_AL}|(?:\s*,\s*{_SURNAME}){{1,2}}{_ET_AL}|(?:\s*,\s*{_SURNAME}){{0,3}},?\s+(?:and|&)\s+{_SURNAME})?)(?:['’]s)?,?\s*$")
# not F[1,12] = 1.50 (statistics) nor x[3] (an index): a letter glued to the bracket, or an "=" after it;
# nor a compound's label with its subscript letter, "[1]n" (a polymer of compound 1)
# (the checks of what precedes the "[" come after it, so the regex engine skips ahead to each "[")
_NUMERIC_GROUP = re.compile(r"\[(?<![\s(][^\W\d_]\[)(?<!^[^\W\d_]\[)\s*(\d{1,4}(?:\s*[-–—−]\s*\d{1,4})?(?:\s*[,;]\s*\d{1,4}(?:\s*[-–—−]\s*\d{1,4})?){0,40})\s*\](?!\s*[=<>≤≥]|[a-z](?![a-z]))")
# (as "(?<=[^\s(])\s?\(", written to start with a character class the regex engine can skip ahead to)
_PAREN_NUMBERS = re.compile(r"[\s(](?:(?<=\s)\((?<=[^\s(]\s\()|(?<=[^\s(]\())\s*(\d{1,3}(?:\s*[-–—−]\s*\d{1,3})?(?:\s*[,;]\s*\d{1,3}(?:\s*[-–—−]\s*\d{1,3})?){0,20})\s*\)")
# what may end in a digit just before "(12)": a symbol ("T4", "PBDE-99") or a program's version ("PhyML 3.0",
# "Augustus v2.5.5", "MATTF v.6"), not a quantity ("n = 5", "zone 2")
_SYMBOL_BEFORE = re.compile(r"(?<!\S)\(?[^\W\d_][\w\-]*\d\)?$|[A-Za-z]\w*\s(?:v\.?\s?\d[\d.]*|\d+(?:\.\d+)+)$")
_QUANTITY_UNIT = re.compile(r"\d\s?[^\W\d_]{1,8}$")
_DECIMAL_BEFORE = re.compile(r"(?<![\w.])\d+\.\d+$")
_NAME_PREFIX = re.compile(r"^(?:Mc|Mac|De|Di|Du|La|Le|Van|Von|O['’])(?=[A-Z])")
_WORD_START = re.compile(rf"(?<![\w\-'’])(?=[A-Z\u00C0-\u024F]|{_PARTICLE}\s)")
_NUMBER_TOKEN = re.compile(r"(\d{1,4})(?:\s*[-–—−]\s*(\d{1,4}))?")
_RANGE_JOIN = re.compile(r"\s*[-–—−]\s*")

# Words that start a parenthesis but never name an author.
_NOT_NAMES = {
    "figure", "figures", "fig", "figs", "table", "tables", "eq", "eqs", "equation", "equations", "section", "sections",
    "supplementary", "supplemental", "appendix", "chapter", "box", "panel", "panels", "movie", "video", "file",
    "dataset", "data", "step", "phase", "model", "version", "vol", "volume", "issue", "no", "number", "page", "pages",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "spring",
    "summer", "autumn", "fall", "winter", "in", "on", "at", "since", "during", "from", "the", "this", "these", "that",
    "those", "our", "we", "between", "after", "before", "until", "unlike", "like", "following", "per", "year",
    "years", "about", "around", "approximately", "ca", "circa", "c", "up", "by", "for", "of", "and", "or", "but",
    "as", "with", "without", "to", "than", "it", "its", "their", "there", "here", "when", "where", "while", "which",
    "who", "what", "all", "both", "each", "every", "some", "many", "most", "few", "several", "total", "n", "p",
    "mean", "median", "range", "sd", "se", "ci", "age", "aged", "born", "died", "est", "founded", "published",
    "updated", "accessed", "retrieved", "revised", "edition", "ed", "eds", "ref", "refs", "reference", "references",
    "see", "e.g", "i.e", "cf", "also", "note", "notes", "table s", "figure s", "fy", "ad", "bc", "ce", "bce",
    "early", "late", "mid", "end", "beginning", "first", "second", "third", "last", "next", "previous", "today",
    "now", "then", "only", "however", "although", "because", "since", "if", "so", "thus", "hence", "yet",
}


@dataclass
class MarkerItem:
    """One cited work as written: who and when (author-year), or which number (numeric)."""

    label: str
    start: int
    end: int
    names: list[str] = field(default_factory=list)  # surnames, or one organisation name
    et_al: bool = False
    year: int | None = None
    suffix: str = ""
    number: int | None = None
    yearless: bool = False  # MLA "(Locker)": any year of that author's works
    title: str = ""  # MLA "(Lema et al., “Proliferation Zones”)": which of the author's works


@dataclass
class Marker:
    """One citation marker: ``text[start:end]``, with its items."""

    start: int
    end: int
    style: str
    items: list[MarkerItem]
    # a "(3)" that may be a quantity's or a thing's number ("in 2010 (3)", "Abbott's formula (21)"): a
    # citation only where it is the next new number of the paper's sequence (``keep_next_in_sequence``)
    doubtful: bool = False


def find_author_year(text: str, start: int = 0, end: int | None = None,
                     known_names: frozenset[str] = frozenset(),
                     known_works: frozenset[tuple[str, int]] = frozenset()) -> list[Marker]:
    """Author-year markers in ``text[start:end]``, parenthetical and narrative, in text order.

    ``known_names`` (folded first-author names of the reference list) lets a citation that follows other
    words inside a bracket count too: ``(∼2 µM spatially averaged: Szikra and Krizaj, 2006)``, and an
    organisation with its acronym before a bracketed year: ``World Health Organization (WHO) (1946)``.
    ``known_works`` (folded first author and year of each entry) lets a year follow a possessive without
    a bracket: ``Eriksson and Lindström’s 2008 paper``.
    """
    end = len(text) if end is None else end
    markers: list[Marker] = []
    taken: list[tuple[int, int]] = []
    for m in _PAREN.finditer(text, start, end):
        items = _parse_group(text, m.start(1), m.end(1), known_names)
        if items:
            markers.append(Marker(m.start(), m.end(), "author-year", items))
            taken.append((m.start(), m.end()))
    for m in _NARRATIVE_YEARS.finditer(text, start, end):
        if any(a <= m.start() < b for a, b in taken):
            continue
        marker = _narrative(text, m, start, known_names)
        if marker:
            markers.append(marker)
            taken.append((marker.start, marker.end))
    markers.extend(_around_brackets(text, start, end, known_names, taken))
    if known_works:
        markers.extend(_possessive_years(text, start, end, known_works, taken))
    markers.sort(key=lambda mk: mk.start)
    return markers


# "Eriksson and Lindström’s 2008 paper", "Smith et al.'s 2010 study": names, a possessive, then a bare year
_POSSESSIVE_YEAR = re.compile(rf"['’]s?\s(?P<year>{YEAR})(?![\d\-–])")


def _possessive_years(text: str, start: int, end: int, known_works: frozenset[tuple[str, int]],
                      taken: list[tuple[int, int]]) -> list[Marker]:
    """A year after a possessive, with no bracket: a citation only when the list has a work of that first
    author in that year (a name with a year after it is otherwise anything: "Parkinson's 2020 cohort")."""
    out: list[Marker] = []
    for m in _POSSESSIVE_YEAR.finditer(text, start, end):
        window_start = max(start, m.start() - 160)
        if any(a <= m.start() < b for a, b in taken) or not _may_end_in_names(text, window_start, m.start()):
            continue
        before = _NARRATIVE_NAMES.search(text, _names_could_start(text, window_start, m.start()), m.start())
        if not before or before.end() != m.start():
            continue
        names, et_al = split_names(before.group("names"))
        year, suffix = _year_parts(m.group("year"))
        if not names or _is_not_a_name(names[0], et_al) or (fold(names[0]), year) not in known_works:
            continue
        name_start = before.start("names")
        out.append(Marker(name_start, m.end(), "author-year",
                          [MarkerItem(text[name_start:m.end()], name_start, m.end(), names, et_al, year, suffix)]))
    return out


# a bracket holding brackets: "(r = .26, 95% CI [.15, .36]; see Funder & Ozer, 2019)", "(... (5) outcomes; Barsalou, 2020)"
_PAREN_AROUND = re.compile(r"\(((?:[^()\[\]\n]|[(\[][^()\[\]\n]{0,100}[)\]]){4,600})\)")
_INNER_BRACKET = re.compile(r"[(\[]")


def _around_brackets(text: str, start: int, end: int, known_names: frozenset[str],
                     taken: list[tuple[int, int]]) -> list[Marker]:
    """Works cited in a bracket that holds brackets of its own (which the first pass cannot see whole):
    the parts outside what was already found, the marker running over the works found."""
    out: list[Marker] = []
    for m in _PAREN_AROUND.finditer(text, start, end):
        if not _INNER_BRACKET.search(text, m.start(1), m.end(1)):
            continue  # a plain bracket: read already
        items = [it for it in _parse_group(text, m.start(1), m.end(1), known_names)
                 if not any(a <= it.start < b for a, b in taken)]
        if items:
            inside = any(m.start() <= a < m.end() for a, _ in taken)
            out.append(Marker(items[0].start if inside else m.start(), items[-1].end if inside else m.end(),
                              "author-year", items))
    return out


def _parse_group(text: str, start: int, end: int, known_names: frozenset[str]) -> list[MarkerItem]:
    """Items of a parenthetical group such as ``see Cao et al., 2002; Czermin et al., 2002a, b``."""
    items: list[MarkerItem] = []
    pos = start
    while pos < end:
        semi = text.find(";", pos, end)
        seg_end = end if semi < 0 else semi
        found = _parse_segment(text, pos, seg_end, known_names)
        if not found and items:
            found = _more_of_the_same(text, pos, seg_end, items[-1])
        items.extend(found)
        pos = seg_end + 1
    return items


_YEAR_ONLY = re.compile(rf"\s*(?:and\s+)?(?P<year>{YEAR}){_YEAR_NOTE}\s*")


def _more_of_the_same(text: str, start: int, end: int, before: MarkerItem) -> list[MarkerItem]:
    """"(Hogg et al., 2021 study 2; and 2024 study 2)": a year alone continues the names before it."""
    m = _YEAR_ONLY.fullmatch(text, start, end)
    if not m or not before.names:
        return []
    year, suffix = _year_parts(m.group("year"))
    return [MarkerItem(f"{', '.join(before.names)}, {m.group('year')}", m.start("year"), m.end("year"),
                       before.names, before.et_al, year, suffix)]


def _first_item(text: str, start: int, end: int, known_names: frozenset[str]) -> re.Match | None:
    """The segment's first work: at its start, or after other words if that author is in the list."""
    at_start = _ITEM.match(text, start, end)
    if at_start and not _names_ok(at_start):
        at_start = None
    if not known_names or (at_start and _known(at_start, known_names)):
        return at_start
    whole = _KNOWN_ITEM.match(text, start, end)
    if whole and fold(whole.group("names")) in known_names:
        return whole  # an organisation as the list prints it: "National Academies of Sciences, Engineering and Medicine"
    # "(E1, Enemark and Joshua-Tor, 2006; Rho, Thomsen and Berger, 2009)": a label before the names
    for word in _WORD_START.finditer(text, start + 1, end):
        m = _ITEM.match(text, word.start(), end)
        if m and _names_ok(m) and _known(m, known_names):
            return m
    return at_start


# Whatever stands before the year, for a first author of the list whose name the patterns above cannot
# read: commas, slashes or "The" in an organisation ("European Commission/EACEA/Eurydice, 2019").
_KNOWN_ITEM = re.compile(rf"(?P<prefix>{_PREFIX})(?P<names>[^\s;()\[\]][^;()\[\]]{{0,100}}?)\s*,?\s+"
                         rf"(?P<years>{YEAR}|{_NO_YEAR}){_YEAR_NOTE}"
                         rf"(?P<more>(?:\s*,\s*(?:{YEAR}|{_NO_YEAR}|{_SUFFIX}))*)")


def _next_item(text: str, start: int, end: int, known_names: frozenset[str]) -> re.Match | None:
    """A work after a comma in the same part: names and a year, or a first author of the list as printed."""
    m = _ITEM.match(text, start, end)
    if (not m or not _names_ok(m)) and known_names:
        whole = _KNOWN_ITEM.match(text, start, end)
        if whole and fold(whole.group("names")) in known_names:
            return whole
    return m


# "L. F. Feldman Barrett, 2006": initials an author-year style prints to tell two authors of one name apart
_INITIALS_BEFORE = re.compile(r"(?:[A-Z]\.\s?-?)+\s*")


def _known(m: re.Match, known_names: frozenset[str]) -> bool:
    first = split_names(m.group("names"))[0][0]
    return fold(first) in known_names or fold(first[_INITIALS_BEFORE.match(first).end():]
                                              if _INITIALS_BEFORE.match(first) else "") in known_names


def _item_names(names_text: str, known_names: frozenset[str]) -> tuple[list[str], bool]:
    """The names of an item; an organisation of the list is one name even with "and" or commas in it."""
    if known_names and ("," in names_text or " and " in names_text or " & " in names_text) and \
            fold(names_text) in known_names:
        return [names_text], False
    return split_names(names_text)


def _names_ok(m: re.Match, known_names: frozenset[str] = frozenset()) -> bool:
    if m.re is _KNOWN_ITEM:
        return True  # a first author of the list, as printed there
    names, et_al = split_names(m.group("names"))
    return bool(names) and not _is_not_a_name(names[0], et_al)


_MORE_YEARS = re.compile(rf"{YEAR}|{_NO_YEAR}|{_SUFFIX}")
_NEXT_WORK = re.compile(r"\s*,\s*(?=[A-Z\u00C0-\u024F])")
_NARRATIVE_YEAR_TOKENS = re.compile(rf"{YEAR}|(?<=,\s)[a-z](?![a-zA-Z])|(?<=,)[a-z](?![a-zA-Z])")


def _parse_segment(text: str, start: int, end: int, known_names: frozenset[str]) -> list[MarkerItem]:
    """One ``;``-separated part; it may still hold several works (``Smith, 2010, Jones, 2012``)."""
    out: list[MarkerItem] = []
    pos = start
    while pos < end:
        while pos < end and text[pos] in " ,\t":
            pos += 1
        m = _first_item(text, pos, end, known_names) if not out else _next_item(text, pos, end, known_names)
        if not m or not _names_ok(m):
            break
        names_text = m.group("names")
        names, et_al = _item_names(names_text, known_names)
        name_start = m.start("names")
        base_year = m.group("years")
        years = [(base_year, m.start("years"), m.end("years"))]
        for ym in _MORE_YEARS.finditer(m.group("more")):
            token = ym.group()
            if len(token) == 1:  # "2010a, b": the suffix alone continues the year before it
                token = re.match(r"\d{4}", years[-1][0]).group() + token if re.match(r"\d{4}", years[-1][0]) else ""
            if token:
                years.append((token, m.start("more") + ym.start(), m.start("more") + ym.end()))
        for k, (year_text, y_start, y_end) in enumerate(years):
            year, suffix = _year_parts(year_text)
            item_start = name_start if k == 0 else y_start
            out.append(MarkerItem(text[name_start:m.end("years")] if k == 0 else f"{names_text}, {year_text}",
                                  item_start, y_end, names, et_al, year, suffix))
        pos = m.end()
        # after the year: a page ("p. 5"), words ("for a recent review"), or the next work after a comma
        nxt = _NEXT_WORK.match(text, pos, end)
        if not nxt:
            break
        pos = nxt.end()
    return out


def _narrative(text: str, m: re.Match, floor: int, known_names: frozenset[str]) -> Marker | None:
    """``Ali (2020)``, ``Bolsinger et al. (2024)``: names just before a bracketed year.

    A system name in a table of methods (``SciBERT (2019)``, ``ELMo (2018)``, ``SIF (2017)``) is no
    citation unless the reference list has an author of that name (``WHO (2014)``).
    """
    window_start = max(floor, m.start() - 160)
    acronym = _ACRONYM_BEFORE.search(text, max(window_start, m.start() - 14), m.start())
    if acronym and known_names:
        marker = _organisation_with_acronym(text, m, acronym, window_start, known_names)
        if marker:
            return marker
    if not _may_end_in_names(text, window_start, m.start()):
        return None
    before = _NARRATIVE_NAMES.search(text, _names_could_start(text, window_start, m.start()), m.start())
    if not before:
        return None
    names, et_al = split_names(before.group("names"))
    name_start = before.start("names")
    if et_al and len(names) >= 2 and fold(names[0]) not in known_names:
        # "Recently, Regnoli et al. (2024b)": a word before a comma, not a first author of the list
        name_start += before.group("names").rfind(names[-1])
        names = names[-1:]
    if not names or _is_not_a_name(names[0], et_al) or _is_not_a_name(names[-1], et_al):
        return None
    if not et_al and len(names) == 1 and _is_system_name(names[0]) and fold(names[0]) not in known_names:
        return None
    items: list[MarkerItem] = []
    for ym in _NARRATIVE_YEAR_TOKENS.finditer(m.group("years")):
        token = ym.group()
        if len(token) == 1 and items:
            token = f"{items[-1].year}{token}"
        year, suffix = _year_parts(token)
        y_start = m.start("years") + ym.start()
        items.append(MarkerItem(f"{before.group('names')} ({token})", name_start if not items else y_start,
                                m.start("years") + ym.end(), names, et_al, year, suffix))
    if not items:
        return None
    return Marker(name_start, m.end(), "author-year", items)


# "World Health Organization (WHO) (1946)": an organisation's acronym in brackets just before the year
_ACRONYM_BEFORE = re.compile(r"\s\((?P<acronym>[A-Z][A-Za-z]{0,3}[A-Z]{1,6})\)\s?$")
_ORGANISATION_WORD = re.compile(r"[A-Z\u00C0-\u024F][\w'’&.\-]*$|(?:of|and|for|the|on|in|&)$")


def _organisation_with_acronym(text: str, m: re.Match, acronym: re.Match, window_start: int,
                               known_names: frozenset[str]) -> Marker | None:
    """``World Health Organization (WHO) (1946)``: the longest run of capitalised words before the acronym
    that the reference list has as a first author (with or without the acronym); none, no citation."""
    words = list(_WINDOW_TOKEN.finditer(text, window_start, acronym.start()))
    short = fold(acronym.group("acronym"))
    name_start = None
    for word in reversed(words[-8:]):
        if not _ORGANISATION_WORD.match(word.group()):
            break
        name = text[word.start():acronym.start()]
        if name[0].isupper() and (fold(name) in known_names or fold(name) + short in known_names):
            name_start = word.start()
    if name_start is None:
        return None
    name = text[name_start:acronym.start()]
    items = []
    for ym in _NARRATIVE_YEAR_TOKENS.finditer(m.group("years")):
        year, suffix = _year_parts(ym.group() if len(ym.group()) > 1 or not items else f"{items[-1].year}{ym.group()}")
        items.append(MarkerItem(f"{name} ({ym.group()})", name_start if not items else m.start("years") + ym.start(),
                                m.start("years") + ym.end(), [name], False, year, suffix))
    return Marker(name_start, m.end(), "author-year", items) if items else None


_CAPITAL = re.compile(r"[A-Z\u00C0-\u024F]")


def _may_end_in_names(text: str, start: int, end: int) -> bool:
    """Can ``_NARRATIVE_NAMES`` match ``text[start:end]``? Its last word holds a capitalised name or ends in
    "et al" (then maybe "'s"): a cheap test that spares the costly search before most brackets."""
    words = text[start:end].split()
    if not words:
        return False
    last = words[-1]
    return bool(_CAPITAL.search(last)) or last.removesuffix("'s").removesuffix("’s").endswith(("al", "al."))


_WINDOW_TOKEN = re.compile(r"\S+")
# what a word inside a run of names can be besides one holding a capital: a particle, "and", "&", "et al"
_NAME_LIST_WORDS = frozenset(PARTICLES | {"", "and", "&", "et", "al", "al.", "etal", "etal."})


def _names_could_start(text: str, start: int, end: int) -> int:
    """Where in ``text[start:end]`` a match of ``_NARRATIVE_NAMES`` (which runs to ``end``) can start at the
    earliest: at the last word that no run of names can hold whole (no capital, and neither a particle nor
    "and" nor "et al"; commas aside), as the names may start inside it ("foo/van Berg"). The search from
    there finds the same match, without trying every position of the window."""
    words = list(_WINDOW_TOKEN.finditer(text, start, end))
    for word in reversed(words[:-1]):  # the last word is the one _may_end_in_names read
        token = word.group()
        if not _CAPITAL.search(token) and token.strip(",").lower() not in _NAME_LIST_WORDS:
            return word.start()
    return start


def _is_system_name(name: str) -> bool:
    """CamelCase or capitals inside a word (SciBERT, ELMo, SIF, Sent-BERT, Fasttext-sum): a method's name.

    McDonald, MacArthur, DeLong and O'Brien are people: their prefix is skipped; Smith-Jones is a person.
    """
    parts = re.split(r"[-‐]", _NAME_PREFIX.sub("", name))
    return any(any(c.isupper() for c in part[1:]) or (k and part[:1].islower()) for k, part in enumerate(parts))


def split_names(names_text: str) -> tuple[list[str], bool]:
    """``Cao and Zhang`` -> (["Cao", "Zhang"], False); ``Lee et al.`` -> (["Lee"], True)."""
    parts, et_al = _split_names(names_text)
    return list(parts), et_al


@lru_cache(maxsize=4096)  # a paper names the same authors again and again
def _split_names(names_text: str) -> tuple[tuple[str, ...], bool]:
    et_al = bool(re.search(r"\bet\s*al\b", names_text))
    core = re.sub(r",?\s+et\s*al\.?", "", names_text).strip(" ,")
    parts = [p.strip() for p in re.split(r"\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+", core) if p.strip()]
    if parts and parts[-1][-2:] in ("'s", "’s"):
        parts[-1] = parts[-1][:-2]  # "Schönbrodt and Perugini's (2013)"
    return tuple(parts), et_al


@lru_cache(maxsize=4096)  # the same names come back at every citation
def _is_not_a_name(name: str, et_al: bool = False) -> bool:
    """Words that open a bracket but name nobody ("August", "Figure", "During").

    With ``et al.`` after it a word is a surname even if it is also a month: ``Jan et al. (2011)``.
    """
    words = name.replace(".", "").split()
    if not words or any(ch.isdigit() for ch in name):
        return True
    if et_al:
        return False
    return words[0].lower() in _NOT_NAMES and not (words[0].isupper() and len(words[0]) > 1)  # "WHO" is a name


def _year_parts(token: str) -> tuple[int | None, str]:
    m = re.match(r"(\d{4})([a-z]?)", token)
    if not m:
        return None, ""  # n.d., in press
    return int(m.group(1)), m.group(2)


def find_numeric(text: str, start: int = 0, end: int | None = None, max_number: int = 0,
                 parenthetical: bool = False, doubtful: bool = False) -> list[Marker]:
    """Numeric markers in ``text[start:end]``: ``[1]``, ``[1,2]``, ``[3-5]``, ``[3]–[5]``; ``(12)`` if asked.

    Numbers above ``max_number`` (the length of the reference list, when known) are not citations.
    ``doubtful``: also give the "(12)" after a number or after a named formula, marked ``doubtful``.
    """
    end = len(text) if end is None else end
    found: list[Marker] = []
    patterns = [_NUMERIC_GROUP] + ([_PAREN_NUMBERS] if parenthetical else [])
    for pattern in patterns:
        for m in pattern.finditer(text, start, end):
            unsure = False
            if pattern is _PAREN_NUMBERS and text[m.start() - 1].isdigit() and \
                    not _SYMBOL_BEFORE.search(text, max(start, m.start() - 30), m.start()):
                if not doubtful:
                    continue  # "n = 5 (12)", "1998 (3)": a number, not a symbol such as "T4 (9)", "PBDE-99 (10)"
                unsure = True  # (a table's cell "(26)" after a cell "2", or a percentage "25<tab>(40)")
            if pattern is _PAREN_NUMBERS and _not_a_citation_bracket(text, m.start(), m.end()):
                if not (doubtful and _NAMED_FORMULA.search(text, max(start, m.start() - 60), text.index("(", m.start()) + 1)):
                    continue
                unsure = True
            if pattern is _PAREN_NUMBERS and text[m.start()] == "(" and _DECIMAL_BEFORE.search(text, max(start, m.start() - 12), m.start()):
                continue  # "2.344(2) Å", "130.86(8)°": the uncertainty of a measured value
            items = _numbers(text, m.start(1), m.end(1), max_number)
            if items:
                found.append(Marker(m.start() if text[m.start()] in "[(" else m.start() + 1, m.end(), "numeric",
                                    items, doubtful=unsure))
    taken = [(mk.start, mk.end) for mk in found]
    for m in _BRACKET_WITH_NOTE.finditer(text, start, end):
        # "[47, 48, (Closson K, ... unpublished)]": the numbers of a bracket that goes on with a work of no entry
        items = _numbers(text, m.start(1), m.end(1), max_number)
        noted = len(_NOTE_WORD.findall(text, m.end(1), m.end())) >= 2 or _LOCATOR.fullmatch(text, m.end(1), m.end())
        if items and noted and not any(a <= m.start() < b for a, b in taken):
            found.append(Marker(m.start(1), m.end(1), "numeric", items))
    if parenthetical:
        taken = [(mk.start, mk.end) for mk in found]
        for m in _PAREN_MIXED.finditer(text, start, end):
            if not any(a <= m.start() < b for a, b in taken):
                found.extend(_mixed_group(text, m, max_number))
    found.sort(key=lambda mk: mk.start)
    return _join_ranges(text, found, max_number)


# "(26; Figure 3)", "(see also 15)", "(e.g., 5,33,34; Supplementary file 2)", "(BBH; 94)": the parts of a bracket
# that are citation numbers, maybe after "see", "e.g.", "reviewed in", "ref."
_PAREN_MIXED = re.compile(r"\(([^()\n]{3,300})\)")
_NUMBER_PART = re.compile(
    r"\s*(?:(?:see(?: also)?|e\.\s?g\.|cf\.|reviewed in|refs?\.|and)\s*,?\s*)*"
    r"(?:[^;]{0,80}?(?:\b(?:see(?: also)?|in|by|on|from|e\.\s?g\.,?|cf\.)\s|:\s?))?"  # "(reviewed by 13)", "(...: 42)"
    r"(\d{1,3}(?:\s*[-–—−]\s*\d{1,3})?(?:\s*,\s*\d{1,3}(?:\s*[-–—−]\s*\d{1,3})?){0,20})\s*", re.IGNORECASE)


def _mixed_group(text: str, m: re.Match, max_number: int) -> list[Marker]:
    """The citation parts of a bracket that also holds other things; only ";" separates them, so
    "(n = 5, 12 mice)" or "(Figure 3, 4)" give nothing."""
    out = []
    pos, stop = m.start(1), m.end(1)
    while pos < stop:
        semi = text.find(";", pos, stop)
        part_end = stop if semi < 0 else semi
        part = _NUMBER_PART.fullmatch(text, pos, part_end)
        if part and not _not_a_citation_bracket(text, m.start(), m.end()):
            items = _numbers(text, part.start(1), part.end(1), max_number)
            if not items:
                return []  # "(survey: 100; FGDs: 18)": a part beyond the list makes them all counts
            out.append(Marker(part.start(1), part.end(1), "numeric", items))
        pos = part_end + 1
    return out if len(out) < 3 else []  # "(1; 2; 3)" as a list of values is no citation group


# Words that number things other than works: "Eq. (1)", "Figure (2)", "step (3)", "Theorem (4)" ("model (28)" cites).
_NUMBERING_WORDS = frozenset("eq eqs equation equations formula formulas inequality fig figs figure figures table "
                             "tables lemma theorem proposition corollary definition section sections "
                             "criterion hypothesis panel panels row rows column columns".split())
_WORD_BEFORE_PAREN = re.compile(r"([^\W\d_]+)\.?\s?$")


# a numbering word after a possessive names a thing after its author, whose work the bracket cites:
# "Abbott's formula (21)", "Fisher's criterion (4)" (not "Eq. (21)", "formula (2)")
_NAMED_FORMULA = re.compile(r"[A-Z][\w\-]+['’]s?\s(?:[a-z]+\s)?(?:formula|equation|criterion|hypothesis|theorem|"
                            r"inequality|lemma)\s?\($")
# "[47, 48, (Closson K, ... unpublished)]", "[5, 7, and references therein]": citation numbers, then a
# comma or semicolon and words (two at least) up to the closing bracket; or IEEE's locator in the work:
# "[3, p. 5]", "[2, pp. 12–15]", "[4, Sec. 2.1]", "[1, Fig. 3]", "[6, Ch. 4]"
_BRACKET_WITH_NOTE = re.compile(r"(?<![^\W\d_])\[(\d{1,4}(?:\s*[-–—−]\s*\d{1,4})?(?:\s*,\s*\d{1,4}(?:\s*[-–—−]\s*\d{1,4})?){0,20})"
                                r"\s*[,;]\s*(?=\(?[^\W\d_])[^\[\]\n]{1,300}?\]")
_LOCATOR = re.compile(r"\s*[,;]\s*(?i:pp?|ch|chap|sec|secs|fig|figs|eq|eqs|thm|th|app|tab|vol|pt|ll?|col|def|prop)\."
                      r"?\s?(?:\d|[A-Z]\b)[\w.–\-]{0,12}(?:\s*(?:,|–|-|and)\s*[\w.]{1,12}){0,4}\s*\]")
_NOTE_WORD = re.compile(r"[^\W\d_]{2,}")


def keep_in_a_column_of_citations(markers: list[Marker]) -> list[Marker]:
    """A table's doubtful "(26)" (a cell after a cell ending in a digit) is a citation when the table's other
    bracketed numbers cite plainly, twice as many at least (a column of references, one of whose rows ends
    its cell before in a digit); alone, they are counts or percentages ("Male<tab>25<tab>(40)")."""
    plain = sum(1 for mk in markers if not mk.doubtful)
    if plain >= 2 and plain >= 2 * (len(markers) - plain):
        return markers
    return [mk for mk in markers if not mk.doubtful]


def keep_next_in_sequence(markers: list[Marker]) -> list[Marker]:
    """Keep a doubtful "(3)" only where it brings the next new number of the paper's citations, in text order
    (a numbered list is numbered by first citation: "in 2010 (3)" after "(1)" and "(2)" cites entry 3; a
    count "n = 12 (40)" rarely falls on the next number)."""
    kept: list[Marker] = []
    highest = 0
    for mk in markers:
        numbers = [it.number for it in mk.items if it.number is not None]
        if mk.doubtful and not (numbers and min(numbers) == highest + 1):
            continue
        kept.append(mk)
        highest = max(highest, *numbers) if numbers else highest
    return kept


# "ref. 2", "refs. 3,4", "Refs 12–14", "ref. 5 and 7": numbers set on the line after the word (Nature's and
# ACS's narrative citations in a paper whose other citations are raised)
_REF_NUMBERS = re.compile(r"(?<![\w.])[Rr]efs?\.?\s?(\d{1,3}(?:\s*[-–—−]\s*\d{1,3})?"
                          r"(?:\s*(?:,|and|&)\s*\d{1,3}(?:\s*[-–—−]\s*\d{1,3})?){0,20})(?![\d%]|[.,]\d)")


def find_ref_numbers(text: str, start: int, end: int, max_number: int) -> list[Marker]:
    """Narrative numeric citations ``ref. 2``, ``refs. 3,4``: the numbers after "ref."/"refs."."""
    markers = []
    for m in _REF_NUMBERS.finditer(text, start, end):
        items = _numbers(text, m.start(1), m.end(1), max_number)
        if items:
            markers.append(Marker(m.start(1), m.end(1), "numeric", items))
    return markers


def _not_a_citation_bracket(text: str, start: int, end: int) -> bool:
    """"(1,30) = 1.235" and "F(1,30)" (statistics), "t(12)" (a function), "Eq. (1)" (a numbered thing)."""
    if re.match(r"\s*[=<>≤≥]", text[end:end + 4]):
        return True
    k = start if text[start] == "(" else start + 1
    word = _WORD_BEFORE_PAREN.search(text, max(0, k - 20), k)
    if not word:
        return False
    if k == word.end(1) and len(word.group(1)) == 1:
        return True  # glued to a single letter: "F(1,30)", "t(12)"
    return word.group(1).lower() in _NUMBERING_WORDS


# "12", "3-5", "1,3", and groups set with spaces: "3 4", "19 21 22"
_SUPERSCRIPT_NUMBERS = re.compile(r"\d{1,3}(?:(?:\s*[-–—−,]\s*|\s+)\d{1,3}){0,20}")


_AUTHOR_MARKS = frozenset("*†‡§¶")


def find_superscript_numbers(text: str, spans: list[tuple[int, int]], max_number: int) -> list[Marker]:
    """Citation numbers set as superscripts (``cancer¹²``, ``shown³⁻⁵``), from the PDF's raised small type.

    Not citations: exponents after a digit (``10⁵``), units (``cm²``, ``m³``: a short word and a small
    number), and numbers beyond the reference list (``Tyr³⁶⁹``). A group (``yet¹,²,²⁹``) is never an
    exponent, and a value with decimals takes none (``pH 7.5¹⁷``, ``Mega 6.06⁵⁴``: the citation after it).
    """
    markers: list[Marker] = []
    for start, end in spans:
        start, end = _raised_range_run_on(text, *_after_a_degree_mark(text, start, end))
        core = text[start:end].strip(" ,.;")
        if not core or not _SUPERSCRIPT_NUMBERS.fullmatch(core):
            continue
        start = text.index(core, start, end)
        end = start + len(core)
        before = text[max(0, start - 8):start]
        first = int(re.match(r"\d+", core).group())
        group = not core.isdigit()  # "1,2,29", "3–5", "19 21 22"
        if not before or before[-1] in "−-+^":
            continue
        if before[-1].isdigit() and not (_DECIMAL_VALUE.search(before) and (group or first > 3)):
            continue  # "10⁵": an exponent; but "7.5¹⁷", a measured value, takes none
        if text[end:end + 1].isalpha():
            continue  # a raised number opening a word: "¹H NMR", "¹³C", a footnote mark before a name
        if text[end:end + 3].lstrip(" ,")[:1] in _AUTHOR_MARKS:
            continue  # "Venhof ¹,*": an affiliation mark beside the corresponding author's star
        if before[-1] == ")" and first <= 3 and "=" in text[max(0, start - 80):start].rsplit(". ", 1)[-1]:
            continue  # "F = ... × (h/href)²": the exponent of a bracket in a formula set in the text
        word = re.search(r"([^\W\d_]+)$", before)
        if word and len(word.group(1)) <= 3 and first <= 3 and not group:
            continue  # "cm²", "R²", "χ²"
        if first <= 3 and not group and _QUANTITY_UNIT.search(text, max(0, start - 14), start):
            continue  # "15 mLmin⁻¹" with its minus lost, "0.1 molL⁻¹": the exponent of a unit after a quantity
        items = _numbers(text, start, end, max_number)
        if items:
            markers.append(Marker(start, end, "numeric", items))
    return markers


_DECIMAL_VALUE = re.compile(r"(?<![\d.])\d+\.\d+$")
# a degree sign set as a raised "o" (or "°") and run into the citation raised after it: "359.55°³⁸"
_DEGREE_MARK = re.compile(r"\s?[o°º](?=\d)")
_RANGE_END = re.compile(r"\s?\d{1,3}(?!\d|[.,]\d)")


def _after_a_degree_mark(text: str, start: int, end: int) -> tuple[int, int]:
    """A raised span "°38" after a value ("359.55°38") is the degree sign, then the citation: skip the sign."""
    m = _DEGREE_MARK.match(text, start, end)
    if m and start and text[start - 1].isdigit():
        return m.end(), end
    return start, end


def _raised_range_run_on(text: str, start: int, end: int) -> tuple[int, int]:
    """A raised range cut at a line's end ("change.¹⁵⁻" / "¹⁷ First"): the number after the dash ends it,
    whether or not the text layer raised it (its first line's baseline is lost)."""
    raised = text[start:end].rstrip()
    if raised[-1:] in "-–—−" and raised[:-1].rstrip().rstrip(" ,")[-1:].isdigit():
        m = _RANGE_END.match(text, start + len(raised))
        if m:
            return start, m.end()
    return start, end


def _numbers(text: str, start: int, end: int, max_number: int) -> list[MarkerItem]:
    items: list[MarkerItem] = []
    for m in _NUMBER_TOKEN.finditer(text, start, end):
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        if first < 1 or last < first or last - first > 200 or (max_number and last > max_number):
            return []  # (1947-1998), [2014], a reversed range: not citations
        for n in range(first, last + 1):  # "3-5" cites 3, 4 and 5; each item points at the "3-5"
            items.append(MarkerItem(str(n), m.start(), m.end(), number=n))
    return items


def _join_ranges(text: str, markers: list[Marker], max_number: int) -> list[Marker]:
    """``[3]–[5]`` is one citation of 3, 4 and 5."""
    out: list[Marker] = []
    for mk in markers:
        prev = out[-1] if out else None
        if (prev and len(prev.items) == 1 and len(mk.items) == 1 and _RANGE_JOIN.fullmatch(text[prev.end:mk.start])
                and prev.items[0].number < mk.items[0].number <= prev.items[0].number + 200):
            first, last = prev.items[0], mk.items[0]
            middle = [MarkerItem(str(n), -1, -1, number=n) for n in range(first.number + 1, last.number)]
            out[-1] = Marker(prev.start, mk.end, "numeric", [first, *middle, last])
        else:
            out.append(mk)
    return out



# A number glued to the end of a word, as a text extractor flattens a superscript: "disease1.", "life24–26,",
# "(T4)6–8.", "et al.2", "ref.3,4", "morphology;8,47", and glued to a symbol that ends in a digit itself:
# "plasma T49" (T4 + 9).
# Also after a quote or bracket and a stop ("assembly’;30,31"), and after "e.g.," ("(e.g.,14,15)").
_GLUED = re.compile(r"(?P<word>\S*?(?:[^\W\d_]|[^\W\d_][.;]|[)\]’”\"][.;,]?|(?:e\.g|i\.e|cf)\.,))(?P<digits>\d+)"
                    r"(?P<more>(?:[-–—−,]\d{1,3})*)[.,;:)\]’”\"]*$")
_DIGITS = re.compile(r"\d+")
_NOT_SPACE = re.compile(r"\S*")
_CLOSERS = ")]’”\";"  # a bracket, a quote or a semicolon glued to a number: a flattened group
_SHORT_WORDS = frozenset("in of to by as on at or is are be we an and the".split())


def find_flattened_superscripts(text: str, spans: list[tuple[int, int]], max_number: int,
                                more_than: int = 0) -> list[Marker]:
    """Superscript citation numbers that a text extractor glued to the word before them.

    Told from other numbers by the paper's own evidence: the reference list is numbered (``max_number``),
    the numbers are new in order of first appearance (1, 2, 3 ...; a group may skip some, a later one may
    cite again what came before), and a word + number printed twice that never stands without its number
    is a name (``Cnga2``, ``Sox2``). After a plain word (``disease1``), a bracket or ``et al.`` the whole
    number is the citation; after a symbol (``T49``, ``TH11``, ``Stage11``) only a split that leaves a
    symbol the paper prints alone (``T4``, ``TH``) and brings the next new number.

    ``more_than``: the caller uses the markers only when there are more than this many; when the words
    with glued digits are too few to give that many (each gives one marker at most), this returns [] at once.
    """
    if max_number < 2:
        return []
    candidates = []
    forms: dict[str, int] = {}
    for a, b in spans:
        chunk = text[a:b]  # a slice, so a token that the span cuts starts at the span's start
        end = 0
        for digits in _DIGITS.finditer(chunk):  # only a token that holds a digit can match _GLUED: few do
            if digits.start() < end:
                continue  # in the token just read
            start = digits.start()
            while start and not chunk[start - 1].isspace():  # str.isspace is \s
                start -= 1
            end = _NOT_SPACE.match(chunk, digits.end()).end()
            m = _GLUED.fullmatch(chunk, start, end)
            if m and len(m.group("digits")) <= 5:
                candidates.append((a, m))  # the match's offsets are the chunk's
                form = m.group("word") + m.group("digits") + m.group("more")  # "Gal4," and "Gal4" are one form
                forms[form] = forms.get(form, 0) + 1
    if len(candidates) <= more_than:
        return []
    # what the paper prints as a word of its own (str.split and \S+ cut at the same Unicode white space)
    words: set[str] = set()
    for a, b in spans:
        words.update(text[a:b].split())
    alone = set(map(str.strip, words, repeat("()[].,;:")))  # map: no Python frame per word
    markers: list[Marker] = []
    highest = 0  # the highest number cited so far
    cited_forms: set[str] = set()  # a word + number printed again and again, taken as a citation
    for k, (pos, m) in enumerate(candidates):
        if len(markers) + len(candidates) - k <= more_than:
            return []  # the candidates left cannot bring enough
        repeated = forms[m.group("word") + m.group("digits") + m.group("more")] >= 2
        if _after_a_word(m):
            found = _whole_group(text, pos, m, max_number, highest, repeated, alone, cited_forms)
        else:
            found = _after_a_symbol(text, pos, m, max_number, highest, repeated, alone)
        if found:
            highest = max(highest, *(it.number for it in found.items))
            markers.append(found)
    return markers if len(markers) > more_than else []


def _after_a_word(m: re.Match) -> bool:
    """"disease1", "Letters26", "back-to-back10", "(T4)6", "et al.2", "ref.3": the number is all citation.
    A capital or a digit inside the word ("Stage11", "Gal4", "Dmef2-Gal4", "XDS58") makes it a symbol."""
    word = m.group("word")
    if word[-1] in _CLOSERS or word.endswith(("al.", "ref.", "refs.", "Ref.", "Refs.", "e.g.,", "i.e.,", "cf.,")) or \
            word[-2:-1] in _CLOSERS and word[-1] in ".;,":
        return True
    if word.lstrip("([") in _SHORT_WORDS:
        return True  # "reviewed in1–3": a short word of the sentence, not a symbol ("cm2", "Xa1")
    plain = word.rstrip(".").lstrip("(['‘“\"").replace("-", "")
    return plain.isalpha() and len(m.group("digits")) <= 3 and (
        plain.islower() and len(plain) >= 3 or plain.istitle() and len(plain) >= 4)


def _whole_group(text: str, pos: int, m: re.Match, max_number: int, highest: int, repeated: bool,
                 alone: set[str], cited_forms: set[str]) -> Marker | None:
    word = m.group("word")
    letters = word.rstrip(".;)]’”\"")
    printed_alone = letters.lstrip("([") in alone
    start = pos + m.start("digits")
    end = pos + (m.end("more") if m.group("more") else m.end("digits"))
    items = _numbers(text, start, end, max_number)
    new = [it.number for it in items if it.number > highest]
    form = letters + m.group("digits") + m.group("more")
    if repeated and not printed_alone and form not in cited_forms:
        # "Cnga2", "Neurod1" again and again: a name; but a plain word in lower case whose number is, where
        # it is first printed, the next one in order ("in this species30", later "with this species30")
        plain = letters.lstrip("([")
        if not (plain.isalpha() and plain.islower() and len(plain) >= 4 and new and min(new) == highest + 1
                and highest >= 2):
            return None
        cited_forms.add(form)
    if new and min(new) > highest + 10:
        return None  # far ahead of the sequence: "area51"
    if items and not new:
        # citing again: after a bracket, "et al.", a word the paper prints alone too, or a plain word that
        # punctuation follows ("metabolism3,5.")
        punctuated = m.group() != word + m.group("digits")
        if not (printed_alone or form in cited_forms or word[-1] in _CLOSERS or word.endswith(".") or
                (letters.isalpha() and letters.islower() and len(letters) >= 5 and punctuated)):
            return None
    return Marker(start, end, "numeric", items) if items else None


def _after_a_symbol(text: str, pos: int, m: re.Match, max_number: int, highest: int, repeated: bool,
                    alone: set[str]) -> Marker | None:
    """"plasma T49" is T4 + 9, "TH11" is TH + 11: split where the symbol before is printed alone in the
    paper, and take the number when it is the next new one (or, after a name of letters such as "XDS",
    one cited before)."""
    word, digits = m.group("word"), m.group("digits")
    end = pos + (m.end("more") if m.group("more") else m.end("digits"))
    for k in range(1, min(3, len(digits)) + 1):
        head, tail = (word + digits[:-k]).strip("()[]"), digits[-k:]
        if tail[0] == "0":
            continue
        start = pos + m.start("digits") + len(digits) - k
        items = _numbers(text, start, end, max_number)
        new = [it.number for it in items if it.number > highest]
        if head not in alone:
            # "CO23,4", a formula the paper never prints alone: a group (a comma or a range follows) whose
            # numbers are all new and exactly the next ones in order ("Cx3637–39" is Cx36 + 37-39, not
            # Cx363 + 7-39), after a symbol that keeps a digit of its own
            if m.group("more") and k < len(digits) and len(items) >= 2 and \
                    [it.number for it in items] == list(range(highest + 1, highest + 1 + len(items))):
                return Marker(start, end, "numeric", items)
            continue
        if items and new and highest < min(new) <= highest + 2:
            return Marker(start, end, "numeric", items)
        if items and not new and head.isalpha() and len(head) >= 3 and not head.islower() and not repeated:
            return Marker(start, end, "numeric", items)
    return None


def drop_enumerations(markers: list[Marker], text: str) -> list[Marker]:
    """Take out numbered list items and scales read as "(n)" citations.

    "three steps: (1) pre-synapsis, (2) synapsis, and (3) ...", "hardly ever (1), occasionally (2), often (3)":
    a run of three or more single numbers 1, 2, 3 ... close together in one sentence, after the paper has
    already cited, is an enumeration (a paper whose first citations are "(1)", "(2)", "(3)" keeps them).
    """
    drop: set[int] = set()
    k = 0
    highest = 0  # the highest number cited before
    while k < len(markers):
        run = [k]
        if len(markers[k].items) == 1 and markers[k].items[0].number == 1 and k > 0:
            while run[-1] + 1 < len(markers):
                prev, nxt = markers[run[-1]], markers[run[-1] + 1]
                gap = text[prev.end:nxt.start]
                if len(nxt.items) != 1 or nxt.items[0].number != prev.items[-1].number + 1 or len(gap) > 400 \
                        or "\n" in gap or (". " in gap and nxt.items[0].number > highest):
                    break  # a new number in the next sentence starts citing again
                run.append(run[-1] + 1)
        numbers = [it.number for i in run for it in markers[i].items]
        one_sentence = all(". " not in text[markers[a].end:markers[b].start] for a, b in zip(run, run[1:]))
        # within a sentence, or over a few sentences when the paper has cited beyond these numbers already
        if len(run) >= 3 and (one_sentence or max(numbers) <= highest):
            drop.update(run)
        else:
            highest = max(highest, *numbers)
        k = run[-1] + 1
    return [mk for i, mk in enumerate(markers) if i not in drop]


# MLA: "(Locker)", "(Birnbaum and Staskal; McDonald)", "(Lema et al., “Proliferation Zones ...”)", "(Smith 45)"
_AUTHOR_ONLY = re.compile(
    rf"{_PREFIX}(?P<names>{_SURNAME}(?:{_ET_AL}|(?:\s*,\s*{_SURNAME}){{0,4}},?\s+(?:and|&)\s+{_SURNAME})?)"
    r"(?:,?\s*[“\"‘](?P<title>[^”\"’]{1,200})[”\"’])?(?:,?\s*(?:pp?\.\s?)?\d{1,5}(?:\s?[-–]\s?\d{1,5})?)?\s*")


def find_author_only(text: str, start: int, end: int, known_names: frozenset[str]) -> list[Marker]:
    """Author-only (MLA) markers in ``text[start:end]``: a bracket of names with no year.

    Every part of the bracket must read as names (a short title or a page may follow), and each first
    name must be a first author of the reference list: "(Figure 2)" or "(Locker Street)" are not citations.
    """
    markers: list[Marker] = []
    for m in _PAREN_NESTED.finditer(text, start, end):
        items: list[MarkerItem] = []
        pos, stop = m.start(1), m.end(1)
        while pos < stop:
            semi = text.find(";", pos, stop)
            seg_end = stop if semi < 0 else semi
            while pos < seg_end and text[pos] == " ":
                pos += 1
            part = _AUTHOR_ONLY.fullmatch(text, pos, seg_end)
            if not part and _FIGURE_PART.fullmatch(text, pos, seg_end):
                pos = seg_end + 1  # "(Manni and Burighel; Figure 1A–D)": the figure is no citation, the names are
                continue
            if not part:
                items = []
                break
            names, et_al = split_names(part.group("names"))
            if not names or _is_not_a_name(names[0], et_al) or fold(names[0]) not in known_names:
                items = []
                break
            items.append(MarkerItem(text[part.start("names"):seg_end].strip(), part.start("names"),
                                    part.end("names"), names, et_al, yearless=True, title=part.group("title") or ""))
            pos = seg_end + 1
        if items:
            markers.append(Marker(m.start(), m.end(), "author-year", items))
    taken = [(mk.start, mk.end) for mk in markers]
    # narrative: "Reisine et al. examined", when Reisine is a first author of the list
    for m in _NARRATIVE_ET_AL.finditer(text, start, end):
        names, _ = split_names(m.group("names"))
        if not names or fold(names[0]) not in known_names or _is_not_a_name(names[0], True) or \
                any(a <= m.start() < b for a, b in taken):
            continue
        markers.append(Marker(m.start(), m.end(), "author-year",
                              [MarkerItem(m.group(), m.start(), m.end(), names, True, yearless=True)]))
    markers.sort(key=lambda mk: mk.start)
    return markers


# a part of an author-only bracket that points at a figure or table: "Figure 1A–D", "see Figure 3—figure
# supplement 1", "reproduced from Figure 3", "Table 2"
_FIGURE_PART = re.compile(r"(?:(?:see(?:\s+also)?|e\.g\.,?|cf\.|reproduced from|adapted from)\s+)?"
                          r"(?:Supplementary\s+)?(?:Fig(?:ure)?s?|Tables?|Movies?|Videos?)\.?\s*[A-Z]?\d[^;()]{0,40}\s*")
_NARRATIVE_ET_AL = re.compile(rf"(?<![\w\-'’.])(?P<names>{_SURNAME})\s+et\s*al(?:\.|(?![\w.]))(?!\s*[,(\d])")
# a bracket that may hold one bracket inside (a title "... Ether (PBDE 47)”)"), for author-only groups
_PAREN_NESTED = re.compile(r"\(((?:[^()\n]|\([^()\n]{0,100}\)){4,600})\)")
