"""The front matter of a paper: title, authors, journal, ISSN, volume, issue, DOI, URL and keywords."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from reader.cite.names import PARTICLES, name_from_words
from reader.ingest.paragraphs import KEYWORDS, Paragraph
from reader.model import Name
from reader.normalize import unique

_META = re.compile(
    r"\b(?:Research Article|Original Article|Review Article|Feature Article|Short Communication|Publishing|ISSN|"
    r"E-?ISSN|ISBN|Volume|Issue|Received|Accepted|Published|Revised|Copyright|Correspondence|"
    r"Corresponding author|Open Access|licen[cs]e|All rights reserved)\b|\bVol\.|©|"
    r"\b(?:Citation|Editor|Cite this article)\s*:",
    re.I)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_AFFILIATION = re.compile(
    r"\b(?:Department|Dept\.|University|Universit[éäà]|Institute|College|School|Faculty|Laboratory|Hospital|"
    r"Cent(?:re|er)|Ph\.?\s?D\.? Scholar|Professor|Lecturer|Email|E-mail|Academy)\b|@", re.I)
_VENUE_WORDS = re.compile(
    r"\b(?:Journal|Review|Proceedings|Transactions|Letters|Annals|Bulletin|Quarterly|Magazine|Conference|"
    r"Research|Studies|Science|Reports)\b")
# An article-type label above the title ("TYPE Review", "Original Research", "REVIEW ARTICLE") names no venue
_ARTICLE_TYPE = re.compile(
    r"^(?:(?:article\s+)?type:?\s+)?(?:original|systematic|mini[- ]?|narrative|scoping|brief|invited|data|clinical)?\s*"
    r"(?:research|review|article|report|perspective|editorial|commentary|communication|case report|letter|"
    r"opinion|hypothesis|protocol|methods?|study|paper)(?:\s+(?:article|paper|report|review|piece))?$", re.I)
def is_article_type(text: str) -> bool:
    """An article-type label ("Original Research", "REVIEW ARTICLE", RSC's "PAPER" under the title)."""
    return bool(_ARTICLE_TYPE.match(" ".join(text.split())))


# a first page's web address line: "journal homepage: www.elsevier.com/locate/dib",
# "royalsocietypublishing.org/journal/rsta"
_PANEL_LABEL = re.compile(r"^(?:article info(?:rmation)?|article history)\s*:?$", re.I)
_WEB_LINE = re.compile(r"^(?:journal homepage:\s*)?(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/[\w./-]*$", re.I)
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;)])")
_ISSN = re.compile(r"\b(?:E-?)?ISSN(?:-E)?\s*[:\-]?\s*(\d{4}-\d{3}[\dXx])", re.I)
_VOLUME = re.compile(r"\bVol(?:ume)?\.?\s*:?\s*(\d+)", re.I)
_ISSUE = re.compile(r"\b(?:Issue|No\.)\s*:?\s*(\d+)", re.I)
_NAME_DECORATION = re.compile(r"[\d¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§¶#∗,]+$")
_HONORIFIC = re.compile(r"^(?:Dr|Prof|Professor|Mr|Mrs|Ms|Sir)\.?\s+", re.I)
# words that appear in titles but never in a person's name
NOT_IN_NAMES = {"a", "an", "the", "of", "on", "in", "for", "to", "with", "from", "by", "at", "as", "is", "are",
                 "via", "after", "before", "between", "under", "over", "into", "towards", "toward", "new", "study",
                 "analysis", "review", "journal", "university", "department", "abstract", "introduction",
                 "subject", "areas", "article", "research", "science", "open", "access", "corporation", "press",
                 # article types and dates printed where a byline could be
                 "type", "paper", "original", "opinion", "perspective", "letters", "letter", "report", "reports",
                 "communication", "brief", "editorial", "submitted", "received", "accepted", "published",
                 "edited", "reviewed", "editor", "citation", "january", "february", "march", "april", "june",
                 "july", "august", "september", "october", "november", "december", "factories", "protocol"}


@dataclass
class FrontMatter:
    """What the paragraphs above the abstract tell about the paper."""
    title: str = ""
    authors: list[Name] = field(default_factory=list)
    venue: str = ""
    issn: str = ""
    volume: str = ""
    issue: str = ""
    doi: str = ""
    url: str = ""
    year: int | None = None
    kept: list[Paragraph] = field(default_factory=list)  # unrecognised front paragraphs, kept as text
    # every front paragraph but the title, in order, with what it is: "other" (kept as text), "authors",
    # "affiliation", "meta", "venue", "url", "keywords" (kept as matter, out of the reading flow)
    parts: list[tuple[Paragraph, str]] = field(default_factory=list)


def parse_front_matter(paragraphs: list[Paragraph]) -> FrontMatter:
    """Title, authors, venue, ISSN, volume, issue, DOI and URL from the paragraphs before the abstract."""
    fm = FrontMatter()
    kinds = [_front_kind(byline_text(p)) for p in paragraphs]
    largest = _largest_type_on_first_page(paragraphs)
    if largest is not None and kinds[largest] in ("affiliation", "authors", "other"):
        kinds[largest] = "other"  # a title may name a hospital or read like a name; its size says it is the title
    for p, kind in zip(paragraphs, kinds):
        text = p.text
        if m := _ISSN.search(text):
            fm.issn = fm.issn or m.group(1)
        if kind == "meta":
            if m := _VOLUME.search(text):
                fm.volume = fm.volume or m.group(1)
            if m := _ISSUE.search(text):
                fm.issue = fm.issue or m.group(1)
        if m := _DOI.search(text):
            fm.doi = fm.doi or m.group(1)
        if kind == "url":
            fm.url = fm.url or text.strip()
    for i in range(1, len(kinds)):  # a byline runs on in a paragraph of its own (a line set as a heading)
        if kinds[i] == "other" and kinds[i - 1] == "authors" and is_byline_continuation(paragraphs[i]):
            kinds[i] = "authors"
    fm.year = _publication_year([p.text for p, kind in zip(paragraphs, kinds) if kind == "meta"])
    title_at = _choose_title(paragraphs, kinds)
    if title_at is not None:
        fm.title = paragraphs[title_at].text.strip()
        kinds[title_at] = "title"
        for i in range(title_at):  # a journal name printed above the title
            if kinds[i] == "other" and _VENUE_WORDS.search(paragraphs[i].text) and len(paragraphs[i].text) < 160 \
                    and not _LABELLED_STATEMENT.match(paragraphs[i].text):
                if _ARTICLE_TYPE.match(paragraphs[i].text.strip()):
                    kinds[i] = "meta"  # out of the reading flow, as a venue line would be
                    continue
                if not fm.venue:
                    fm.venue, year = _split_venue_line(paragraphs[i].text)
                    fm.year = fm.year or year
                kinds[i] = "venue"
            elif kinds[i] == "other" and _is_masthead_line(paragraphs[i], paragraphs[title_at]):
                kinds[i] = "meta"
    for i, p in enumerate(paragraphs):  # a PDF's labels beside the title: out of the reading flow
        if kinds[i] == "other" and p.size and (_ARTICLE_TYPE.match(p.text.strip()) or _WEB_LINE.match(p.text.strip())
                                               or _PANEL_LABEL.match(p.text.strip())):
            kinds[i] = "meta"
    # the byline follows the title; one before it is more likely a section label or a publisher
    bylines = [i for i, kind in enumerate(kinds) if kind == "authors"]
    after = [i for i in bylines if title_at is None or i > title_at]
    if bylines:
        first = (after or bylines)[0]
        run = [first]
        for i in range(first + 1, len(kinds)):  # a byline set as a paragraph per line (names on a pitch
            if kinds[i] != "authors":          # wider than the text's) goes on in the paragraphs under it
                break
            run.append(i)
        if len(run) > 1 and _OPENS_WITH_SEPARATOR.match(paragraphs[first].text):
            run[0], run[1] = run[1], run[0]  # the line's end came first: "1 and Chomnapas Chuchote2" above its start
        for i in run:
            known = {(a.family, a.given) for a in fm.authors}
            fm.authors += [a for a in parse_author_line(byline_text(paragraphs[i])) if (a.family, a.given) not in known]
    # whatever is not recognised stays in the text: losing words is worse than showing a stray line
    fm.kept = [p for p, kind in zip(paragraphs, kinds) if kind == "other"]
    fm.parts = [(p, kind) for p, kind in zip(paragraphs, kinds) if kind != "title"]
    return fm


# a byline's paragraph that opens with a mark and a separator ("1 and Chomnapas Chuchote2"; Hindawi sets the first
# name in another font, and the line's start sorts under its end): the end of the line above
_OPENS_WITH_SEPARATOR = re.compile(r"^[\d¹²³⁴⁵⁶⁷⁸⁹⁰*†‡,]*\s*(?:and|&|,)\s", re.I)


# "Data availability statement: All files are ...": a statement under a label, no journal's name
_LABELLED_STATEMENT = re.compile(r"^[A-Z][\w ]{2,40}:\s+\S")


def _is_masthead_line(p: Paragraph, title: Paragraph) -> bool:
    """On a PDF's first page, a short line above the title is the journal's masthead or a label ("Contents
    lists available at ScienceDirect", "journal homepage: www...", "Data Article"), never running text."""
    return bool(p.size) and p.first.page == title.first.page and len(p.text.split()) <= 15 and len(p.lines) <= 2


def is_byline_continuation(p: Paragraph) -> bool:
    """Names with raised affiliation marks after two or more of them ("Zhangwen Ge,2 Feng Yi,2 ..."): a
    byline, even where the text layer runs the names together and no name can be read."""
    marks = sum(len(ln.superscripts) for ln in p.lines)
    return marks >= 2 and len(p.text) < 600 and not p.text.rstrip().endswith((".", ":", "?"))


def _front_kind(text: str) -> str:
    t = text.strip()
    if _URL.match(t):
        return "url"
    if KEYWORDS.match(t):
        return "keywords"
    if _AFFILIATION.search(t) and (re.match(r"^(?:[-•*]\s*)?(?:\d+\.?|[¹²³⁴⁵⁶⁷⁸⁹*†‡§{])\s*", t) or "@" in t
                                   or t.count(",") >= 2) and not parse_author_line(t):
        return "affiliation"
    if _META.search(t) and len(t) < 300:
        return "meta"
    if parse_author_line(t):
        return "authors"
    return "other"


def _choose_title(paragraphs: list[Paragraph], kinds: list[str]) -> int | None:
    candidates = [i for i, k in enumerate(kinds) if k == "other" and 2 <= len(paragraphs[i].text.split()) <= 40]
    if not candidates:
        return None
    sized = [i for i in candidates if paragraphs[i].size > 0]
    sized = [i for i in sized if not is_journal_name(paragraphs[i].text)] or sized
    if sized:  # a PDF: the title is set in the largest type on the first page
        first_page = paragraphs[sized[0]].first.page
        on_page = [i for i in sized if paragraphs[i].first.page == first_page]
        return max(on_page, key=lambda i: (round(paragraphs[i].size), len(paragraphs[i].text.split()) >= 3, -i))
    # text: the title is printed just above the authors, or is the first plain line
    for i in candidates:
        if i + 1 < len(kinds) and kinds[i + 1] == "authors":
            return i
    not_venue = [i for i in candidates if not (_VENUE_WORDS.search(paragraphs[i].text) and i + 1 < len(kinds)
                                               and kinds[i + 1] in ("url", "meta"))] or candidates
    standalone = [i for i in not_venue if paragraphs[i].heading_level]  # "# Title", or a line of its own
    return (standalone or not_venue)[0]


def _publication_year(meta_lines: list[str]) -> int | None:
    """The year the front matter's dates and copyright lines agree on most (the latest on a tie)."""
    years = Counter(int(y) for line in meta_lines for y in _YEAR.findall(line))
    if not years:
        return None
    return max(years, key=lambda y: (years[y], y))


_JOURNAL_NAME = re.compile(
    r"^(?:(?:the|[A-Z][\w&'’-]*)\s+){0,5}(?:Journal|Proceedings|Transactions|Annals|Bulletin|Archives)"
    r"(?:\s+(?:of|for|on|in|and|&|the|de|[A-Z][\w&'’-]*))*$")


def is_journal_name(text: str) -> bool:
    """A masthead such as "Iranian Journal of Basic Medical Sciences": words in capitals around "Journal"
    (or Proceedings, Annals, ...), often set larger than the title under it."""
    return bool(_JOURNAL_NAME.match(" ".join(text.split()))) and len(text.split()) <= 12


def _largest_type_on_first_page(paragraphs: list[Paragraph]) -> int | None:
    sized = [i for i, p in enumerate(paragraphs) if p.size > 0 and p.first.page == paragraphs[0].first.page
             and 2 <= len(p.text.split()) <= 40 and not _META.search(p.text)]
    sized = [i for i in sized if not is_journal_name(paragraphs[i].text)] or sized
    if not sized:
        return None
    return max(sized, key=lambda i: (round(paragraphs[i].size), -i))


def parse_author_line(text: str) -> list[Name]:
    """Names from a byline such as ``Javed Alam¹, Dr. Ghulam Mustafa²``; [] when it is not a byline."""
    t = text.strip()
    if not t or len(t) > 600 or t.endswith(".") and not re.search(r"\b[A-Z]\.$", t):
        return []
    t = _DEGREES.sub("", _BRACKET_MARKS.sub(" ", _ICONS.sub(" ", t)))
    t = _LETTER_MARKS.sub(",", t)
    t = _GLUED_AND.sub(", ", t)
    parts = [s for s in re.split(r"\s*(?:,|;|\||·|•|\band\b|&|(?<=[^\W\d_])[\d¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§¶∗,]+(?=\s))\s*", t)
             if s and s.strip()]
    names: list[Name] = []
    for part in parts:
        part = _NAME_DECORATION.sub("", part.strip()).strip()
        part = _HONORIFIC.sub("", part)
        part = re.sub(r"[\d¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§¶∗]+", " ", part).strip()
        if not part:
            continue
        words = part.split()
        if len(words) == 1 and (glued := _GLUED_NAME.fullmatch(words[0])):
            words = [glued.group("given"), *glued.group("initials").split(), glued.group("family")]
        long_words = [w for w in words if len(w) > 2]
        if not 2 <= len(words) <= 5 or (long_words and all(w.isupper() for w in long_words)):
            return []  # a label in capitals ("LIVING SCIENCE") is no byline
        for w in words:
            if w.lower() in _BYLINE_PARTICLES:
                continue
            if w.lower() in NOT_IN_NAMES:
                return []
            if not (w[0].isupper() or _after_particle(words, w)) \
                    or not re.fullmatch(r"[^\W\d_][\w'’.\-\u2010\u2011]*", w):  # (‑: no break)
                return []
        if sum(1 for w in words if len(w.strip(".")) > 1) < 1:
            return []
        names.append(_byline_name(words))
    return names


# a name whose spaces the text layer lost (Hindawi's byline set in a font without word spaces: "ZhangwenGe,2FengYi,2
# ...,4andSyed Ali"): a given name of three letters or more, any initials, then the family name as printed
# ("JackDeHovitz": Jack DeHovitz; "StenH.Vermund": Sten H. Vermund); read only where a part of a byline is one word
_GLUED_NAME = re.compile(r"(?P<given>(?!Ma?c[A-Z])[A-Z][a-z]{2,})(?P<initials>(?:[A-Z]\.)*)"
                         r"(?P<family>[A-Z][a-z]*(?:[A-Z][a-z]+)?[a-z])")
_GLUED_AND = re.compile(r"(?:(?<=[\d,])|\b)and(?=[A-Z][a-z])")


def _after_particle(words: list[str], word: str) -> bool:
    """An Arabic family name may print its second word in lower case after the article ("Omkulthom Al
    kamaly")."""
    at = words.index(word)
    return 1 <= at - 1 and words[at - 1].lower() in ("al", "el") and words[at - 1][0].isupper() and at == len(words) - 1


def _byline_name(words: list[str]) -> Name:
    """A byline's name, given names first. A particle in lower case after the given names starts the
    family name, whatever follows it ("Raquel de Castro Rodrigues Lima": de Castro Rodrigues Lima)."""
    name = name_from_words(words)
    family = name.family.split()
    if len(family) > 1 and re.fullmatch(r"[A-Z]\.?", family[0]):  # "Jennifer E McWhirter": E is an initial
        name = Name(family=" ".join(family[1:]), given=f"{name.given} {family[0]}")
    particle = next((i for i in range(1, len(words) - 1) if words[i] in _BYLINE_PARTICLES), None)
    if particle is None or not name.given or len(name.given.split()) <= particle:
        return name
    return Name(family=" ".join(words[particle:]), given=" ".join(words[:particle]))


# Dutch "te" ("Lysanne W. te Brinke") too
_BYLINE_PARTICLES = PARTICLES | {"te"}


# academic degrees after a name in a byline ("Meng-yue Liu, MD, Xiao-dong Peng, PhD"), with any
# affiliation letter glued to them ("MDa")
_DEGREES = re.compile(r",?\s*\b(?:MD|PhD|MSc|BSc|BS|BA|MA|MPH|MBBS|RN|DDS|DMD|DVM|FRCP|MS|MBA|MMed|MM)[a-h]?\b\.?",
                      re.UNICODE)


_ICONS = re.compile(r"[✉✆☆★⁎\u2709\U0001F4E7]")  # the envelope of the corresponding author, stars


# affiliation letters that the text layer set on the line, not raised (RSC: "Omkulthom Al kamaly, a Lateefa
# A. Al-Khateeb,b Michael K. Halim, c"; "Galal Magdy de and Ahmed ..."): a letter or two from a-h standing
# alone after a name's comma or before "and", the next comma or the end (no particle stands there)
_LETTER_MARKS = re.compile(r",\s*\*?[a-h]{1,3}(?:,[a-h])*\*?(?=\s+(?:and\b|&|[A-Z])|\s*,|\s*\*?$)"
                           r"|\s+\*?[a-h]{1,3}(?:,[a-h])*\*?(?=\s+(?:and\b|&)|\s*,|\s*\*?$)")


_BRACKET_MARKS = re.compile(r"\[[a-z0-9][a-z0-9,*\s–-]*\]")  # Wiley's "André Wassenberg,[a] Jakob Albert*[a]"


def byline_text(p: Paragraph) -> str:
    """A paragraph's text with raised marks (affiliation numbers and letters, asterisks) read as name
    separators: ``Jianbo Li^a,b, Naya Huang^a,b`` -> ``Jianbo Li, , Naya Huang, ,``."""
    if not any(ln.superscripts for ln in p.lines):
        return p.text
    pieces = []
    for ln in p.lines:
        text, at = "", 0
        for a, b in ln.superscripts:
            text += ln.text[at:a] + ", "
            at = b
        pieces.append(text + ln.text[at:])
    return " ".join(pieces)


def _split_venue_line(text: str) -> tuple[str, int | None]:
    """``Clinical Science (2014) 126, 305–313 (Printed in ...)`` -> ("Clinical Science", 2014)."""
    text = text.strip()
    year = _YEAR.search(text)
    name = re.split(r"\s*(?:\(|\b(?:19|20)\d\d\b|\bdoi\b|\bvol\.|\d+\s*[,:(])", text, maxsplit=1)[0].strip(" ,;:")
    return (name or text), (int(year.group(1)) if year else None)


def parse_keywords(text: str) -> list[str]:
    """Split a keyword line, drop empty and repeated entries (case-insensitively), keep the order."""
    return unique(part.strip().strip(".") for part in re.split(r"\s*[,;·•|]\s*", text.strip().rstrip(".")))
