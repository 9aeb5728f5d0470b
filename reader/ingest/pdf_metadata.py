"""A PDF paper's bibliographic facts from its first page, its running heads and the PDF's own metadata.

The reading text's front matter gives a title and a byline; what it often lacks (the year, the journal,
the volume, the DOI) publishers print in places that are not part of the reading flow: a citation line
("BMC Cancer (2021) 21:602", "ChemSusChem 2025, 18, e202401973"), publication dates ("Published: 16
January 2026"), a copyright line, running heads and feet, and the PDF's subject field ("Scientific
Reports, doi:10.1038/..."). Each fact is taken from the most specific source that has it.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from reader.cite.names import name_from_words
from reader.ingest.frontmatter import (NOT_IN_NAMES, is_article_type, is_journal_name, parse_author_line,
                                      parse_keywords)
from reader.model import Block, Name, Paper

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>;,]+[^\s\"<>.,;:)\]])")
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_PUBLISHED = re.compile(
    r"\b(?:published|publication date|version of record|first published)(?:\s+online)?\s*[:.]?\s*"
    r"(?:on\s+)?(?:\d{1,2}(?:st|nd|rd|th)?[\s./-]+" + _MONTH + r"[\s,./-]+|" + _MONTH +
    r"\s+\d{1,2},?\s+|\d{1,2}[./-]\d{1,2}[./-])?(" + _YEAR + r")\b", re.IGNORECASE)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:the authors?\(?s?\)?\.?,?\s*)?(" + _YEAR + r")\b",
                        re.IGNORECASE)
# "BMC Cancer (2021) 21:602", "Lu et al. BMC Infect Dis (2020) 20:511", "Scientific Reports | (2021) 11:6074"
_CITATION_PAREN = re.compile(
    r"^(?P<venue>[A-Z][A-Za-z&.\-’' ]{2,60}?)\s*\|?\s*\((?P<year>" + _YEAR +
    r")\)\s*,?\s*(?P<volume>\d{1,4})\s*[:,(]")
# "ChemSusChem 2025, 18, e202401973", "Data in Brief 18 (2018) 727-730"
_CITATION_PLAIN = re.compile(
    r"^(?P<venue>[A-Z][A-Za-z&.\-’' ]{2,60}?),?\s+(?:(?P<year>" + _YEAR + r")\s*[,;]\s*(?P<volume>\d{1,4})\b|"
    r"(?P<volume2>\d{1,4})\s*\((?P<year2>" + _YEAR + r")\))")
# the month (or months) of the issue before the year: "J Arthropod-Borne Dis, September 2017, 11(3): 427-432",
# "International Journal of Clinical Pediatric Dentistry, May-August 2015;8(2):99-101"
_CITATION_MONTH = re.compile(
    r"^(?P<venue>[A-Z][A-Za-z&.\-’' ]{2,80}?),\s+(?i:" + _MONTH + r"(?:\s*[-–/]\s*" + _MONTH + r")?)\s+(?P<year>" + _YEAR +
    r")\s*[,;]\s*(?P<volume>\d{1,4})\s*[(:]")
# a running head naming the journal and the volume, with the issue or the page: "Chronic Stress 10(0)",
# "royalsocietypublishing.org/journal/rsta Phil. Trans. R. Soc. A 379: 20200097" (the web address first)
_RUNNING_VOLUME = re.compile(
    r"^(?:\S+\.(?:org|com|net)/\S*\s+)?(?P<venue>[A-Z][A-Za-z&.’' ]{2,60}?)\s+(?P<volume>\d{1,4})\s*"
    r"(?:\(\d{1,4}\)|:\s*e?\d+(?:\s*[–-]\s*\d+)?)$")
# (IEEE's running head in capitals: "IEEE TRANSACTIONS ON ..., VOL. 42, NO. 3, MARCH 2020")
_CITATION_VOLUME = re.compile(r"^(?P<venue>[A-Z][A-Za-z&.\-’' ]{2,80}?),?\s+(?i:vol(?:ume|\.)?)\s*(?P<volume>\d{1,4})\b")
_INITIALS_NAME = re.compile(r"^[A-Z][^\W\d_]+(?:[- ][A-Z][^\W\d_]+)? [A-Z]{1,3}$")  # "Zhang C", "Wu Q-S"
_VOLUME = re.compile(r"\bVol(?:ume)?\.?\s*(\d{1,4})\b", re.IGNORECASE)


def fill_from_pdf(paper: Paper, first_page: list[str], running: list[str], metadata: dict[str, str]) -> None:
    """Complete the paper's title, authors, year, venue, volume and DOI (what the page gave is kept
    unless a more specific source contradicts it)."""
    subject = metadata.get("subject", "")
    page_text = "\n".join(first_page)
    paper.title = paper.title or title_from_pdf(first_page, metadata)
    _fill_authors(paper, metadata.get("author", ""), page_text)
    if not paper.authors:
        paper.authors = _capitals_byline(page_text.split("\n"), _lead_author(metadata.get("author", ""), running))
    cited_text = "\n".join(_page_one_matter(paper) + [page_text] + _how_to_cite(paper))
    paper.authors = [_with_compound_family(a, cited_text) for a in paper.authors]
    paper.authors = _in_cited_order(paper.authors, _how_to_cite(paper) + _page_one_matter(paper))
    paper.abstract = complete_abstract(paper) if paper.abstract else abstract_from_blocks(paper)
    paper.keywords = paper.keywords or keywords_from_blocks(paper) or _keywords_field(metadata, page_text)

    subject_doi = _DOI.search(subject)
    if subject_doi:
        paper.doi = subject_doi.group(1)
    elif not paper.doi:
        found = Counter(m.group(1).rstrip(".") for text in first_page + running for m in _DOI.finditer(text))
        if not found:  # a citation line under the abstract, at the top of page 2 (JMIR)
            found = Counter(m.group(1).rstrip(".") for text in _front_citation_lines(paper)
                            for m in _DOI.finditer(text))
        if found:
            paper.doi = max(found, key=lambda d: (found[d], -page_text.find(d)))

    subject_venue, year, volume = _subject_citation(subject)
    printed_venue, printed_year, printed_volume = _printed_citation(first_page + running)
    if not printed_venue:
        printed_venue, printed_volume = _running_citation(running, printed_volume)
    year, volume = year or printed_year, volume or printed_volume
    venue = subject_venue
    # how page 1 says to cite the paper, whole in its matter block, before a line of page 1 that may hold
    # only the end of it ("Dent 2015;8(2):99-101." under "... Int J Clin Pediatr")
    if not venue and (after := _after_title(subject, paper.title)
                      or _cited_after_title(_page_one_blocks(paper) + first_page, paper.title)):
        venue, volume = after[0], volume or after[1]
    venue = (venue or printed_venue or _copyright_journal(_page_one_blocks(paper)) or
             running_journal_name(running, first_page, paper.title) or _proceedings(running + first_page))
    venue = _without_author(venue, page_text)
    paper.venue = venue or paper.venue  # a citation line names the journal; a line above the title may not
    paper.volume = volume or paper.volume
    if m := _VOLUME.search(page_text):
        paper.volume = paper.volume or m.group(1)
    if paper.volume and not paper.issue:
        paper.issue = _issue(_page_one_blocks(paper) + first_page + running, paper.volume)
    published = _PUBLISHED.search(page_text)
    copyright_ = _COPYRIGHT.search(page_text)
    if published:
        paper.year = int(published.group(1))
    elif year:
        paper.year = year
    elif copyright_:
        paper.year = int(copyright_.group(1))
    elif not paper.year and (m := re.match(r"D:(" + _YEAR + ")", metadata.get("creationDate", ""))):
        paper.year = int(m.group(1))


# "Abstract Schools are complex ..." (Springer, Wiley: the label in bold, run into the text without a colon)
_ABSTRACT_RUN_IN = re.compile(r"^(?i:abstract|summary)\s*[:.\-–—]?\s+(?=[A-Z])(.{200,})$", re.S)
_ABSTRACT_HEADING = re.compile(r"^(?:abstract|summary)\s*[:.]?$", re.I)
_FLOW = ("paragraph", "abstract")


def abstract_from_blocks(paper: Paper) -> str:
    """The abstract when the structure found none: the paragraphs under an "Abstract" heading, a paragraph
    opening with the label run in, or else the first paragraph of page 1 of 25 words or more before any heading
    and not under the keywords (Nature, Frontiers and Hindawi print the abstract without a label, set apart from
    the text, above the keywords; a paragraph under the keywords, in their column, is the text of a paper that
    has no abstract: Frontiers' opinion pieces)."""
    blocks = [b for b in paper.blocks[:80] if b.kind != "reference"]
    texts = [" ".join(paper.text[b.start:b.end].split()) for b in blocks]
    for i, (b, t) in enumerate(zip(blocks, texts)):
        if b.kind == "heading" and _ABSTRACT_HEADING.match(t):
            parts = []
            for c, u in zip(blocks[i + 1:], texts[i + 1:]):
                if c.kind == "heading" and not _ABSTRACT_PART.match(u) or len(parts) == 8:
                    break  # (a structured abstract's parts have headings of their own: "Background", ...)
                if c.kind in _FLOW:
                    parts.append(u)
            if parts:
                return _abstract_text(parts)
        if b.kind in _FLOW and (m := _ABSTRACT_RUN_IN.match(t)):
            return m.group(1)
    first_page = blocks[0].page if blocks else None
    keywords: list[Block] = []
    for i, (b, t) in enumerate(zip(blocks, texts)):
        if (b.kind == "heading" and not _BYLINE_HEADING.search(t) and not is_article_type(t)
                or b.page != first_page):
            break  # (an article-type label set as a heading, "PAPER" under the title, is no section)
        if _KEYWORDS_LABEL.match(t):
            keywords.append(b)
        if b.kind not in _FLOW:
            continue
        if any(_above_in_its_column(paper, k, b) for k in keywords):
            return ""  # (keywords in a side panel beside the abstract, read before it, do not count)
        parts, end = _cut_paragraph(blocks, texts, i)
        t = " ".join(parts)
        if len(t.split()) >= 25 and t.endswith(".") or len(t.split()) >= 80:
            parts += _paragraphs_before_heading(blocks, texts, end)
            return _abstract_text(parts + _structured_parts_after(blocks, texts, end - 1, parts))
    return ""


def complete_abstract(paper: Paper) -> str:
    """The structure's abstract, less a citation line closing it ("J Med Internet Res 2026;28:e82426; doi: ...",
    the journal's foot line read into the abstract) and the keywords under it ("Keywords SARS-CoV-2 · Vaccines"),
    with the parts of a structured abstract it left out."""
    parts = [p for p in paper.abstract.split("\n\n") if not _not_abstract(p)]
    blocks = [b for b in paper.blocks[:80] if b.kind != "reference"]
    last = max((i for i, b in enumerate(blocks) if b.kind == "abstract"), default=None)
    if last is None:
        return _abstract_text(parts)
    texts = [" ".join(paper.text[b.start:b.end].split()) for b in blocks]
    more = _structured_parts_after(blocks, texts, last, parts) or _parts_before_copyright(paper, blocks, texts, last)
    return _abstract_text(parts + more)


def _abstract_text(parts: list[str]) -> str:
    return "\n\n".join(p for p in parts if not _not_abstract(p))


def _not_abstract(part: str) -> bool:
    """A block read into the abstract that is not part of it: a citation line with the DOI, the keywords, a list
    of subject areas."""
    return bool(_CITATION_WITH_DOI.match(" ".join(part.split())) or _KEYWORDS_LIST.match(part)
                or _SUBJECTS_LIST.match(part))


def keywords_from_blocks(paper: Paper) -> list[str]:
    """The keywords that pages 1-2 print under their label ("KEYWORDS Yersinia; Galleria; ...", "Keywords
    SARS-CoV-2 · Vaccines · ...", Frontiers' "KEYWORDS a, b, c"), or in the block under a label alone ("Keywords:"
    over "climate change anxiety; psychological distress; ..."), carried on while a list ends with its separator;
    [] when no list with separators follows the label (one keyword a line cannot be told apart)."""
    blocks = [b for b in paper.blocks[:150] if b.page in (1, 2) and b.kind != "reference"]
    texts = [" ".join(paper.text[b.start:b.end].split()) for b in blocks]
    for i, text in enumerate(texts):
        if not (m := _KEYWORDS_LIST.match(text)):
            continue
        listed, at = m.group("rest"), i + 1
        while (not listed or listed.endswith((",", ";"))) and at < len(texts) and len(texts[at]) < 300:
            listed, at = f"{listed} {texts[at]}".strip(), at + 1
        items = parse_keywords(listed) if re.search(r"[,;·•|]", listed) else []
        if len(items) >= 2 and all(len(k.split()) <= 8 for k in items):
            return items
    return []


# a keywords label, alone or with its list run on ("KEYWORDS Yersinia; ...", "Keywords: ...", "Index Terms—...")
_KEYWORDS_LIST = re.compile(r"^(?:key ?words|index terms)\b\s*[:.\-–—]?\s*(?P<rest>.*)$", re.I | re.S)


# a list of subject areas under the abstract (PeerJ's "Subjects Bioinformatics, Computational Biology"): no sentence
_SUBJECTS_LIST = re.compile(r"^subjects?(?: areas?)?\s*:?\s+[A-Z][^.]{0,200}$", re.I)


def _keywords_field(metadata: dict[str, str], page_text: str) -> list[str]:
    """The PDF's keywords field (MDPI fills it), when page 1 prints its words."""
    field = metadata.get("keywords", "")
    items = parse_keywords(field) if re.search(r"[,;]", field) else []
    printed = set(re.findall(r"\w+", page_text.lower()))
    words = re.findall(r"\w+", " ".join(items).lower())
    return items if len(items) >= 2 and words and sum(w in printed for w in words) >= 0.9 * len(words) else []


def _parts_before_copyright(paper: Paper, blocks: list[Block], texts: list[str], last: int) -> list[str]:
    """An abstract that the publisher closes with its copyright or licence line (Elsevier: "© 2018 The Authors.
    Published by ..." under the abstract's last line; Wiley: "This is an open access article under the terms of
    ..." under an abstract whose part labels stand beside it): the paragraphs between the abstract and that line, in the
    abstract's column on its page, at most three; none when no such line closes them."""
    more: list[str] = []
    for b, t in zip(blocks[last + 1:last + 5], texts[last + 1:last + 5]):
        if b.kind == "matter" and _COPYRIGHT_LINE.match(t) and _same_column(paper, blocks[last], b):
            return more
        if b.kind != "paragraph" or b.page != blocks[last].page or not _same_measure(paper, blocks[last], b):
            return []  # (the text under an abstract set across the page is set in columns: another measure)
        more.append(t)
    return []


_COPYRIGHT_LINE = re.compile(r"^(?:©|\(c\)|copyright\b|this is an open[- ]access article|"
                             r"this article is (?:licensed|distributed|an open[- ]access))", re.I)


def _same_measure(paper: Paper, a: Block, b: Block) -> bool:
    """Two blocks set to one measure: their left edges within 10 pt, their widths within 15%."""
    box_a, box_b = _box(paper, a), _box(paper, b)
    if box_a is None or box_b is None:
        return False
    width_a, width_b = box_a[2] - box_a[0], box_b[2] - box_b[0]
    return abs(box_a[0] - box_b[0]) <= 10 and abs(width_a - width_b) <= 0.15 * max(width_a, width_b)


def _same_column(paper: Paper, a: Block, b: Block) -> bool:
    box_a, box_b = _box(paper, a), _box(paper, b)
    if box_a is None or box_b is None:
        return False
    overlap = min(box_a[2], box_b[2]) - max(box_a[0], box_b[0])
    return overlap >= 0.5 * min(box_a[2] - box_a[0], box_b[2] - box_b[0])


def _structured_parts_after(blocks: list[Block], texts: list[str], last: int, parts: list[str]) -> list[str]:
    """A structured abstract whose labels run in ("Background: ...") goes on in the paragraphs after block
    ``last`` that open with a part's label ("Methods: ...", "Results: ...") or carry on a part cut at a
    column break, on its page; matter between them is skipped (a side panel read between the parts)."""
    if not _ABSTRACT_PART_RUN_IN.search(" ".join(parts[:1])):
        return []
    more: list[str] = []
    for b, t in zip(blocks[last + 1:], texts[last + 1:]):
        if b.kind == "matter":
            continue
        if b.kind != "paragraph" or b.page != blocks[last].page:
            break
        if not (_ABSTRACT_PART_RUN_IN.match(t) or _unfinished((parts + more)[-1])):
            break
        more.append(t)
    return more


def _above_in_its_column(paper: Paper, upper: Block, lower: Block) -> bool:
    """Block ``upper`` is printed above ``lower`` on its page, over the same column (their printed lines
    overlap across half the narrower one's width)."""
    a, b = _box(paper, upper), _box(paper, lower)
    if a is None or b is None or upper.page != lower.page:
        return False
    return a[3] <= b[1] + 1 and _same_column(paper, upper, lower)


def _box(paper: Paper, block: Block) -> tuple[float, float, float, float] | None:
    """The box around a block's printed lines (``paper.pages``), or None."""
    boxes = [s.bbox for s in paper.pages if s.start < block.end and s.end > block.start and s.page == block.page]
    if not boxes:
        return None
    return min(x[0] for x in boxes), min(x[1] for x in boxes), max(x[2] for x in boxes), max(x[3] for x in boxes)


def _cut_paragraph(blocks: list[Block], texts: list[str], i: int) -> tuple[list[str], int]:
    """Paragraph ``i`` and the paragraphs it runs on into (a column break cuts a sentence: the next paragraph
    opens in lower case or with digits); the texts and the index after the last."""
    parts, end = [texts[i]], i + 1
    while (end < len(blocks) and blocks[end].kind in _FLOW and _unfinished(parts[-1])
           and re.match(r"^[a-z0-9(]", texts[end])):
        parts.append(texts[end])
        end += 1
    return parts, end


def _paragraphs_before_heading(blocks: list[Block], texts: list[str], at: int) -> list[str]:
    """An unlabelled abstract of more than one paragraph: the paragraphs after its first, up to a section
    heading on the same page, when there are at most three (Royal Society prints the abstract in two paragraphs
    and a note of the theme issue above "1. Introduction"); none when the text runs on without a heading."""
    more = []
    for b, t in zip(blocks[at:at + 4], texts[at:at + 4]):
        if b.page != blocks[at - 1].page:
            return []
        if b.kind == "heading" or _KEYWORDS_LABEL.match(t):  # (the keywords close the abstract too)
            return more if not is_article_type(t) else []
        if b.kind not in _FLOW:
            return []
        more.append(t)
    return []


def _unfinished(text: str) -> bool:
    """A paragraph that stops inside a sentence (a closing quote ends one only after a full stop)."""
    return bool(text) and not re.search(r"(?:[.!?:)\]]|[.!?][”\"'’])$", text.rstrip())


# a structured abstract's part label run into its text ("Methods: This retrospective ...", "Objective(s): ...")
_ABSTRACT_PART_RUN_IN = re.compile(
    r"(?:^|\s)(?:background|objectives?(?:\(s\))?|aims?|purpose|context|introduction|methods?|"
    r"materials and methods|design|setting|participants|results?|findings|conclusions?|interpretation|"
    r"significance|limitations)\s*:\s", re.I)
# a journal's citation line with the DOI: "J Med Internet Res 2026;28:e82426; doi: 10.2196/82426"
_CITATION_WITH_DOI = re.compile(r"^[A-Z][\w.&' -]{2,80}\s(?:19|20)\d\d\s*[;,]\s*\d{1,4}\b.{0,40}\bdoi:?\s*10\.\S+$", re.I)
_KEYWORDS_LABEL = re.compile(r"^(?:key ?words|index terms)\b", re.I)


# the headings of a structured abstract's parts
_ABSTRACT_PART = re.compile(r"^(?:background|objectives?|aims?|purpose|context|methods?|design|"
                            r"setting|participants|materials and methods|results?|findings|conclusions?|"
                            r"interpretation|significance|limitations)\s*[:.]?$", re.I)
# a byline set in a heading's type ("Peter A. Macdonald, Alan R. Kennedy, ..."): no section heading
_BYLINE_HEADING = re.compile(r",.*,|[,&]$|^,")


def title_from_pdf(first_page: list[str], metadata: dict[str, str]) -> str:
    """The PDF's title field when page 1 prints it (it then wins over the page's largest type, which is
    sometimes a journal name or an article type), else ""."""
    meta_title = metadata.get("title", "")
    words = re.findall(r"\w+", meta_title.lower())
    if len(words) < 3:
        return ""
    printed = set(re.findall(r"\w+", "\n".join(first_page).lower()))
    return " ".join(meta_title.split()) if sum(w in printed for w in words) >= 0.9 * len(words) else ""


def _fill_authors(paper: Paper, meta_author: str, page_text: str) -> None:
    """The PDF's author field (often only the first or corresponding author) checks the byline found on
    the page: when none of its names is there, the byline was something else and the field is used. A
    field that page 1 does not print (left over from another article of the journal) is ignored."""
    names = parse_author_line(re.sub(r"\s+\d+\b", "", meta_author.replace("\ufeff", "")))
    if not names or not any(n.family and n.family.lower() in page_text.lower() for n in names):
        return
    families = {a.family.lower() for a in paper.authors}
    if not paper.authors or not any(n.family.lower() in families for n in names):
        paper.authors = _byline_from_lines(page_text.split("\n"), names[0]) or names


_CAPITALS_NAME = re.compile(r"^(?:[A-Z][A-Z'’\-]*\.?\s+){1,4}[A-Z][A-Z'’\-]+[*†‡\d]*$")


def _lead_author(meta_author: str, running: list[str]) -> str:
    """The first author's family name as the author field or a running head gives it ("Ndifoin et al.")."""
    for text in [meta_author] + running:
        if m := re.match(r"^\s*([A-Z][^\W\d_'’-]+(?:[-'’][A-Z]?[^\W\d_]+)?)\s+et al\b", text):
            return m.group(1)
    return ""


def _capitals_byline(lines: list[str], lead: str) -> list[Name]:
    """A byline set in capitals, a name a line ("BEVERLY N. NDIFOIN**", "FRANCKY TEDDY ENDOMBA", ...: Ubiquity),
    which the structure takes for labels: read only from the line that ends with the lead author's family
    name as a running head or the author field gives it, on over the lines in capitals under it."""
    if not lead:
        return []
    lead = _without_accents(lead).upper()
    names: list[Name] = []
    for line in lines:
        line, plain = line.strip(), _without_accents(line).strip()
        if not names and not (_CAPITALS_NAME.match(plain) and re.sub(r"[*†‡\d]+$", "", plain).endswith(" " + lead)):
            continue
        words = [w.title() for w in re.sub(r"[*†‡\d]+$", "", line).split()]
        if not _CAPITALS_NAME.match(plain) or any(w.lower() in NOT_IN_NAMES for w in words):
            break
        names.append(name_from_words(words))
    return names if len(names) > 1 else []  # (one line in capitals is too little to go on)


def _byline_from_lines(lines: list[str], first: Name) -> list[Name]:
    """The byline that page 1 prints from the line opening with the author field's first name, read on
    over the lines under it while they go on reading as names (a byline the structure took for text:
    RSC sets it beside the title, its affiliation letters on the line, "Omkulthom Al kamaly, a Lateefa
    A. Al-Khateeb,b ..."); [] when it gives no more names than the field."""
    full = f"{first.given} {first.family}".strip()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith(full)), None)
    if start is None:
        return []
    names: list[Name] = []
    text = ""
    for line in lines[start:start + 12]:
        more = parse_author_line(f"{text} {line}".strip())
        if not more and line.strip(" *,abcdefgh"):
            break  # (a line of affiliation letters alone does not read as names and does not end it)
        text = f"{text} {line}".strip()
        names = more or names
    return names if len(names) > 1 and names[0].family == first.family else []


def _without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _with_compound_family(name: Name, cited_text: str) -> Name:
    """A byline prints given names first, so "Jana Abou Rjeily" reads as Rjeily, Jana Abou. Page 1's
    "Cite this article: Boutros T, Abou Rjeily J, ..." (Cambridge, PLOS, JMIR print how to cite the paper)
    sets the family name before the initials: when it prints the last given word and the family there,
    followed by initials, the family name is both words."""
    given = name.given.split()
    if len(given) < 2 or not name.family:
        return name
    compound = f"{given[-1]} {name.family}"
    cited = re.compile(r"(?<![\w-])" + r"\s+".join(map(re.escape, _without_accents(compound).split())) +
                       r",?\s+[A-Z]{1,3}\b\.?(?:\s?[A-Z]\.)*(?=\s*(?:[,;]|\(|\bet al\b|\band\b|&|$))", re.M)
    if not cited.search(_without_accents(cited_text)):
        return name
    return Name(family=compound, given=" ".join(given[:-1]))


def _in_cited_order(authors: list[Name], texts: list[str]) -> list[Name]:
    """The authors in the order of the paper's own citation ("Ndifoin BN, Kanmounye US, Kukuia KKE, Endomba FT,
    ...") when one text of it names every one of them, family name and initials: a byline set in two columns
    (Ubiquity's, read row by row) gives its names in reading order, not in the authors' order."""
    if len(authors) < 2:
        return authors
    for text in texts:
        plain = _without_accents(" ".join(text.split()))
        at = [re.search(r"(?<![\w-])" + re.escape(_without_accents(a.family)) + r",?\s+[A-Z]{1,3}\b(?!-)", plain)
              for a in authors]
        if all(at) and len({m.start() for m in at}) == len(at):
            return [a for _, a in sorted(zip((m.start() for m in at), authors), key=lambda pair: pair[0])]
    return authors


def _citation_line(texts: list[str], subject: str) -> tuple[str, int | None, str]:
    """(venue, year, volume) from the PDF's subject field and a printed citation line, the subject first."""
    venue, year, volume = _subject_citation(subject)
    printed = _printed_citation(texts)
    return venue or printed[0], year or printed[1], volume or printed[2]


def _after_title(subject: str, title: str) -> tuple[str, str] | None:
    """(venue, volume) from a subject that cites the paper: "Authors (2026) Title. Front. Plant Sci. 17:1798826.
    doi: ..." (Frontiers); what follows the paper's own title up to the volume."""
    at = subject.find(title) if len(title) > 20 else -1
    if at < 0:
        return None
    m = re.match(r"^[\s.]*([A-Z][^\d;]{2,80}?)[\s,]*(\d{1,4})\s*[:(]", subject[at + len(title):])
    if not m or re.search(r"\bdoi\b|https?:", m.group(1), re.I):
        return None
    return m.group(1).strip(" ,"), m.group(2)


def _cited_after_title(first_page: list[str], title: str) -> tuple[str, str] | None:
    """(venue, volume) from how page 1 says to cite the paper: its title's last words, then the journal,
    the volume and an article number ("... docking studies. PLoS ONE 13(3): e0193451.", "... emerging adults.
    Front. Psychiatry 16:1738103.", "... Arab nations. Cambridge Prisms: Global Mental Health, 13, e78", "...
    Sustainability. Research 2025;8:Article 0986.", a volume and issue whose page went onto the next line: "...
    Annals of Global Health. 2026; 92(1):")."""
    words = re.findall(r"\w+", title)
    if len(words) < 3:
        return None
    text = " ".join(" ".join(first_page).split())
    m = re.search(r"(?i:" + r"\W+".join(map(re.escape, words[-2:])) + r")(?:\W*\s+|[.?!]\s*)(?P<venue>[A-Z][\w.&:'’ -]{2,70}?)"
                  r"[\s,]*(?:\(?" + _YEAR + r"\)?[;,.]?\s*)?(?P<volume>\d{1,3})\s*"
                  r"(?:\(\d{1,3}\)\s*:|(?:\(\d{1,3}\))?\s*(?::\s*(?:Article\s+)?e?\d{2,}|,\s*e\d+))", text)
    if m and not re.search(r"\bdoi\b|https?:|\bet al\b", m.group("venue"), re.I):
        return m.group("venue").strip(" ,.:"), m.group("volume")
    return None


def _without_author(venue: str, page_text: str) -> str:
    """A running head that names the author before the journal ("Marder. eLife 2012;1:e00353"): a first
    word that page 1 prints after a given name ("Eve Marder explains ...") is the author's, not the venue's."""
    m = re.match(r"^([A-Z][^\W\d_]+)\.\s+(\S.*)$", venue)
    if m and re.search(r"\b[A-Z][^\W\d_]+\s+" + re.escape(m.group(1)) + r"\b(?!\.)", page_text):
        return m.group(2)
    return venue


def _proceedings(texts: list[str]) -> str:
    """A conference paper's foot line, in the running feet or on page 1 only: "Proceedings of the 58th Annual
    Meeting of the ..., pages 2270–2282", "Proceedings of NAACL-HLT 2018, pages 84–91"."""
    for text in texts:
        if m := re.match(r"^(Proceedings of\b.{5,150}?),?\s+pages\s+\d+", " ".join(text.split())):
            return m.group(1)
    return ""


def _how_to_cite(paper: Paper) -> list[str]:
    """The paper's own citation wherever it is printed, under a label ("Please cite as:" on JMIR's last page,
    "How to cite this article: ..."): the labelled block, and the block under a label alone."""
    texts = [" ".join(paper.text[b.start:b.end].split()) for b in paper.blocks if b.kind != "reference"]
    found = []
    for i, text in enumerate(texts):
        if _CITE_LABEL.match(text):
            found.append(text)
            if _CITE_LABEL.fullmatch(text) and i + 1 < len(texts):
                found.append(texts[i + 1])
    return found


_CITE_LABEL = re.compile(r"(?:►\s*)?(?:please cite(?: this article)?(?: as)?|how to cite(?: this article)?|"
                         r"cite this article(?: as)?)\s*:\s*", re.I)


def _page_one_blocks(paper: Paper) -> list[str]:
    """Page 1's blocks in reading order: a citation line is whole there, though the structure may write its
    end as a paragraph of its own ("Cambridge Prisms: Global Mental Health, 13, e78, 1-10 https://doi.org/...")."""
    return [paper.text[b.start:b.end] for b in paper.blocks if b.page == 1 and b.kind != "reference"]


def _front_citation_lines(paper: Paper) -> list[str]:
    """Short blocks of pages 1 and 2 that cite the paper with its DOI ("J Med Internet Res 2026;28:e82426; doi:
    10.2196/82426")."""
    texts = [" ".join(paper.text[b.start:b.end].split()) for b in paper.blocks[:120] if b.page in (1, 2)]
    return [t for t in texts if len(t) < 250 and _CITATION_WITH_DOI.match(t)]


# an issue printed with its volume: "13(3): e0193451", "2015;8(2):99-101", "Medicine 2021;100:7(e24588)",
# "Vol. 21, No. 10", "VOL. 43, NO. 1", "Volume 41, Issue 1"
def _issue_patterns(volume: str) -> list[re.Pattern[str]]:
    v = re.escape(volume)
    return [re.compile(r"(?:(?:19|20)\d\d\s*[;,]\s*|[^\W\d_.],?\s+|\.\s+)" + v + r"\s*\((\d{1,4})\)\s*[:,]"),
            re.compile(r"(?<![\d.])" + v + r":(\d{1,4})\(e?\d+\)"),
            re.compile(r"\bVol(?:ume|\.)?\s*" + v + r"\s*,?\s*(?:No\.?|Issue|Number)\s*(\d{1,4})\b", re.I)]


def _issue(texts: list[str], volume: str) -> str:
    """The issue that page 1, its blocks or a running head print with the paper's volume ("" when none does;
    an issue 0, SAGE's "Chronic Stress 10(0)" for a journal without issues, is none)."""
    patterns = _issue_patterns(volume)
    for text in texts:
        text = " ".join(text.split())
        for pattern in patterns:
            if (m := pattern.search(text)) and m.group(1).strip("0"):
                return m.group(1)
    return ""


def _copyright_journal(texts: list[str]) -> str:
    """The journal a copyright line names as the publisher's: "© 2026 The Author(s). GeoHealth published by
    Wiley Periodicals LLC on behalf of ..." (Wiley's journals)."""
    for text in texts:
        m = re.match(r"^(?:©|\(c\))\s*(?:19|20)\d\d\s+(?:The\s+)?Authors?(?:\(s\))?\.\s+"
                     r"(?P<venue>[A-Z][\w&:’' -]{1,60}?)\s+(?:is\s+)?published by\b", " ".join(text.split()))
        if m and not re.search(r"\d|\b(?!(?:of|and|for|in|on|the)\b)[a-z]", m.group("venue")):
            return m.group("venue")  # (a name in capitals: not "This article is published by ...")
    return ""


def _page_one_matter(paper: Paper) -> list[str]:
    """Page 1's matter blocks in reading order (a citation line there is whole; page 1's lines top to
    bottom interleave it with the column beside it)."""
    return [paper.text[b.start:b.end] for b in paper.blocks if b.kind == "matter" and b.page == 1]


def running_journal_name(running: list[str], first_page: list[str], title: str) -> str:
    """A running head that page 1 also prints as a line of its own (or that reads as a journal's name: "The
    Scientific World Journal", whose "Th" page 1's text layer lost), with no digits, no "et al." and not from the
    title: the journal's name ("RENAL FAILURE", "BioMed Research International")."""
    lines = {" ".join(t.split()).lower() for t in first_page}
    title_words = set(re.findall(r"\w+", title.lower()))
    for head in running:
        head = " ".join(head.split())
        words = re.findall(r"\w+", head.lower())
        if ((head.lower() in lines or is_journal_name(head)) and 1 <= len(words) <= 8 and not re.search(r"\d|\bet al\b|@|/", head, re.I)
                and not set(words) <= title_words and head[:1].isupper()):
            return head
    return ""


def _subject_citation(subject: str) -> tuple[str, int | None, str]:
    for part in re.split(r"\s*;\s*", subject):
        m = re.match(r"^([A-Z][^,;(]{2,80}?)\s*(?:,|\((" + _YEAR + r")\)\s*,)", part)
        if m and not re.search(r"\d|\bet al\b", m.group(1)) and len(m.group(1).split()) <= 10 \
                and not _INITIALS_NAME.match(m.group(1)) \
                and (_DOI.search(subject) or re.search(_YEAR, part)):
            year = re.search(r"\b(" + _YEAR + r")\b", part)
            volume = re.search(r"(?:,\s*|\)\s*,\s*)(?!" + _YEAR + r"\b)(\d{1,4})\s*(?:\(|,)", part[m.end(1):])
            return m.group(1).strip(), int(year.group(1)) if year else None, volume.group(1) if volume else ""
    return "", None, ""


def _running_citation(running: list[str], volume: str) -> tuple[str, str]:
    """(venue, volume) from a running head that names the journal and the volume ("Chronic Stress 10(0)")."""
    for text in running:
        m = _RUNNING_VOLUME.match(" ".join(text.split()))
        if m and not re.search(r"\bet al\b|^(?:page|table|figure|fig)\b", m.group("venue"), re.I):
            return m.group("venue").strip(" .|,"), volume or m.group("volume")
    return "", volume


def _printed_citation(texts: list[str]) -> tuple[str, int | None, str]:
    for text in texts:
        text = text.strip()
        text = re.sub(r"^.*?\bet al\.?\s*", "", text)  # "Lu et al. BMC Infect Dis (2020) 20:511"
        m = _CITATION_PAREN.search(text)
        if m:
            return m.group("venue").strip(" .|"), int(m.group("year")), m.group("volume")
        m = _CITATION_PLAIN.match(text)
        if m and not re.search(r"\bet al\b|\d", m.group("venue")):
            year = m.group("year") or m.group("year2")
            return m.group("venue").strip(" .|"), int(year), m.group("volume") or m.group("volume2")
    for text in texts:  # (a running head may name the authors after it: "..., 11(3): 427-432 H Bilal et al.: ...")
        m = _CITATION_MONTH.match(text.strip())
        if m and not re.search(r"\bet al\b|\d", m.group("venue")):
            return m.group("venue").strip(" .|"), int(m.group("year")), m.group("volume")
    for text in texts:  # the journal and its volume alone: "Chronic Stress Volume 10: 1–13", "Iran J Basic
        m = _CITATION_VOLUME.match(text.strip())  # Med Sci, Vol. 21, No. 10, Oct 2018"
        if m and not re.search(r"\bet al\b", m.group("venue")):
            volume = m.group("volume") if not re.fullmatch(_YEAR, m.group("volume")) else ""  # Hindawi's year
            year = re.search(r"\b(" + _YEAR + r")\b", text[m.end():])
            return m.group("venue").strip(" .|,"), int(year.group(1)) if year else None, volume
    return "", None, ""
