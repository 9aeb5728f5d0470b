"""Parse one printed reference entry into CSL-JSON fields.

A reference entry reaches us as one string, printed in whatever style the paper used: APA
(``Surname, I. (2023). Title. Journal, 3(2), 1-8.``), eLife/Harvard/ACL (``Surname AB, Other C. 2012.
Title. Journal 5:158-163.``), PLOS (``Surname AB (2012) Title. Journal 5: 158-163.``), Vancouver
(``1. Avery SV. Title. Nat Rev Microbiol. 2006;4:577-87.``), IEEE (``[1] E. Braunwald, "Title," Journal,
vol. 337, ...``), BMC without punctuation, and news or web items with a URL and a date.

The parser works in the order the information is most reliable:

1. identifiers (DOI, URL, PMID) and a leading number label are taken out;
2. the author list and the year: most styles put a year right after the names, so the first year
   anchor whose prefix reads as a list of names ends the authors; otherwise (Vancouver, IEEE, BMC) the
   names are read from the start up to the first place that closes a name list;
3. the rest is title, then container (journal, book, proceedings) or publisher, then the location
   (volume, issue, pages). The location is found by its shape (the last one, as titles hold numbers
   too); the title ends at the sentence end after which the text reads like a venue name (capitalised
   words and abbreviations, "In: ...", "Place: Publisher"), see ``_split_title``.

Everything is stdlib ``re`` with bounded or guarded repetition, so time grows linearly with the input
(tests/cite/test_references.py checks 100 KB adversarial entries), and only the first ``_MAX_CHARS``
characters are read at all. Measured on the JATS corpus by tests/benchmarks/bench_references.py.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from reader.model import CSL_ATTRIBUTES, Name, Reference
from reader.cite.labeller import default_labeller
from reader.cite.names import PARTICLES
from reader.normalize import squash

__all__ = ["ALL_MODEL_FIELDS", "MODEL_FIELDS", "fill_reference", "parse_reference", "repeats_authors"]

# A real entry is a few hundred characters; a consortium paper may list authors for a few thousand.
_MAX_CHARS = 20_000


# what parsing sets: every CSL attribute of a Reference but the free-text note
_FIELD_NAMES = tuple(name for name in CSL_ATTRIBUTES if name != "note")


def fill_reference(ref: Reference) -> None:
    """Parse ``ref.raw`` and set the CSL fields on ``ref`` (``id``, ``raw``, ``start``, ``end`` stay)."""
    parsed = parse_reference(ref.raw)
    for name in _FIELD_NAMES:
        setattr(ref, name, getattr(parsed, name))


# ----------------------------------------------------------------------------------- character classes

# Upper-case letters of the scripts that reference lists use (Latin with accents, Greek, Cyrillic).
# Latin Extended-A mixes cases; names starting with its lower-case letters are rare enough.
_UP = "A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u017F\u0391-\u03A9\u0410-\u042F"
_HYPHENS = "\\-\u2010\u2011"
_PARTICLES = PARTICLES
_STOPWORDS = frozenset("of and the in for on at to a an & de la le les des du der die das und für fur "
                       "et y e da di del della van von its with from into".split())
# Words that mark an organisation rather than a person.
_CORPORATE_WORDS = frozenset("""team council foundation organization organisation consortium group institute
    institution association society committee network project agency department ministry office centre center
    university bank commission news times watch international program programme initiative collaboration
    board service services survey bureau union nations fund trust federation alliance coalition company
    corporation inc ltd llc press authority government administration academy laboratory laboratories
    consortia taskforce task force panel secretariat unit division assembly parliament congress court
    museum library archive archives herald post journal tribune telegraph guardian gazette daily weekly
    review magazine radio television tv broadcasting media agency agencies reuters bbc cnn unicef unesco
    unhcr who nih cdc fda epa ocha undp observatory
    fundación fundação fondation stiftung instituto institut ministerio ministério ministère ministerie
    universidad universidade université universität universiteit administración asociación sociedad
    organización secretaría consejo rijksinstituut""".split())
_PUBLISHER_WORDS = re.compile(
    r"\b(?:Press|Publish\w*|Verlag|Books|Wiley|Springer|Elsevier|Routledge|Sons|Academic|Harper\w*|Penguin|"
    r"Macmillan|Norton|CRC|Blackwell|Sage|SAGE|Taylor|Francis|Pearson|Freeman|Sinauer|Saunders|Lippincott|"
    r"Mosby|Karger|Thieme|Humana|Plenum|Dekker|Kluwer|Birkh\w+|Prentice|McGraw|Addison|Cambridge University|"
    r"Oxford University|MIT Press|Clarendon|Cold Spring Harbor)\b")
_PUBLISHER_LOWER = re.compile(r"\b(?:press|publishers?|publishing)\b")
_LOWER_VENUE = re.compile(r"^(?:e[A-Z]\w*|m[A-Z]\w*|i[A-Z]\w*|npj|bioRxiv|arXiv|medRxiv|eLife|mBio|eNeuro|iScience)$")
_MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}

# ------------------------------------------------------------------------------------------ clean-up

_SPACE_BEFORE_PUNCT = re.compile(r" (?=[,.;:)\]](?:\s|$|[,.;:)\]\"]))")
_SPACE_AFTER_OPEN = re.compile(r"(?<=[(\[]) ")
# a text layer that lost the space after a comma between a surname and its initials ("Gentner,T. X.")
_COMMA_BEFORE_INITIAL = re.compile(r"(?<=[a-z]),(?=[A-Z]\.)")
_QUOTE_CHARS = "\u201c\u201d\u201e\u00ab\u00bb\u2033\u02ee"


_squash = squash


def _clean(raw: str) -> str:
    text = raw[:_MAX_CHARS].replace("\x00", " ")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        for ch in _QUOTE_CHARS:  # str.translate with a table is slower than a few replaces
            if ch in text:
                text = text.replace(ch, '"')
    text = _squash(text)
    if "," in text:
        text = _COMMA_BEFORE_INITIAL.sub(", ", text)
    if "''" in text or "``" in text:
        text = text.replace("''", '"').replace("``", '"')
    # "Abascal F , Zardoya R , Posada D . 2005", "( 2014)", "21 :2104" as PDFs and PLOS XML set it
    text = _SPACE_BEFORE_PUNCT.sub("", text)
    if "( " in text or "[ " in text:
        text = _SPACE_AFTER_OPEN.sub("", text)
    return text


# --------------------------------------------------------------------------------------------- label

_LABEL = re.compile(r"^(?:\[(\d{1,4})\]|\((\d{1,3})\)|(\d{1,3})[.)](?=\s)|(\d{1,3})(?=\s+[^\W\d_]))\s*")


def _take_label(text: str) -> tuple[str, str]:
    m = _LABEL.match(text)
    if not m:
        return "", text
    return next(g for g in m.groups() if g), text[m.end():]


# ------------------------------------------------------------------------------------------ identifiers

# Each pattern starts with a literal, so the regex engine skips ahead instead of trying every position.
_DOI = re.compile(r"10\.(?<![\w.]10\.)\d{4,9}/[^\s\"]+")
_URL = re.compile(r"(?<![\w/])(?:[hH][tT][tT][pP][sS]?://|www\.)[^\s\"<>]+")
_PMID = re.compile(r"\b(?:PMID|PubMed(?:\s+PMID)?)\s?:?\s?(\d{4,9})\b", re.IGNORECASE)
_PMCID = re.compile(r"\b(?:PubMed Central\s+)?PMCID\s?:?\s?PMC\d+\b\.?", re.IGNORECASE)
_PMID_AFTER_DOI = re.compile(r"[.,;]?\s(\d{5,9})\s?\.?\s?$")
_TRAILING_PMID = re.compile(r"(?<![\w./:-])(\d{7,8})\s?\.?\s?$")
# what labels an identifier, left in front of the hole it leaves ("doi:", "Available from:", "[Online]")
_ID_LABELS = ("available online at", "available online", "available from", "available at", "retrieved from", "available", "[online]",
              "online", "pubmed", "pmid", "doi", "url", "<")


def _drop_id_label(before: str) -> str:
    stripped = before.rstrip(" .,;:")
    low = stripped[-20:].lower()
    for label in _ID_LABELS:
        if low.endswith(label) and (len(stripped) == len(label) or not stripped[-len(label) - 1].isalnum()):
            return stripped[:-len(label)]
    return before
_EMPTY_BRACKETS = re.compile(r"\[ ?\]|\( ?\)|\[Online\]", re.IGNORECASE)
# the links a publisher prints after an entry ("... 2018, 8, 275-281. [CrossRef] [PubMed]", "Google Scholar")
_LINK_LABELS = re.compile(
    r"\[(?:Cross ?Ref|PubMed(?: Central)?|PMC(?: free article)?|Google Scholar|Green Version|Medline|Web of Science|"
    r"Scopus|(?:Free )?Full Text|CAS|ISI)\]|"
    r"\b(?:PubMed Abstract|CrossRef Full Text|Google Scholar)(?:\s?\|\s?(?:CrossRef Full Text|Google Scholar))*\s?$",
    re.IGNORECASE)
# what a database export adds to an entry: "ISSN 0959-3780.", "Ovid MEDLINE(R) PubMed-not-MEDLINE.", "CAB Abstracts"
_DATABASE_NOTE = re.compile(r"\bISSN:?\s?\d{4}-?\d{3}[\dXx]\b\.?|\bOvid\s[A-Z][\w\-]*(?:\(R\))?(?:\s[\w\-]+){0,4}?(?:\.|\s*$)|"
                            r"\bCAB Abstracts\b,?")
# a book's ISBN, bare or in brackets, a line break maybe inside it: "(e-ISBN 978-3- 540-92874-4)",
# "(ISBN: 978-1-4020-6242-1)", "ISBN 978-0-495-09361-9", "(ISBN 1-56238-781-2 [Print])"
_ISBN_NUMBER = r"(?:e-?)?ISBN(?:-1[03])?:?\s?[\dXx](?:[\dXx]|[-\u2010\u2013]\s?){8,22}[\dXx](?:\s?\[[A-Za-z]+\])?"
_ISBN = re.compile(rf"\(\s?{_ISBN_NUMBER}\s?\)\.?|\b{_ISBN_NUMBER}\.?")
_EMPTY_FIELD = re.compile(r",\s*,")
_EPUB = re.compile(r"\b(?:Epub|E-pub)\s+(?:ahead\s+of\s+print|\d{4}(?:[/ ][\w/]+)?)\.?|"
                   r"\[(?:Epub|published online) ahead of print\]\.?", re.IGNORECASE)
_ACCESSED = re.compile(r"\[\s?(?:cited|accessed)\b[^\]\x00]{0,40}\]\.?|\((?:[Ll]ast )?(?:[Aa]ccessed|[Rr]etrieved|[Vv]iewed|"
                       r"[Cc]ited)\b[^()\x00]{0,40}\)\.?|\b(?:[Ll]ast )?(?:[Aa]ccessed|[Rr]etrieved|[Vv]iewed)"
                       r"(?: on)?:? (?:(?=\d|[A-Z][a-z]{2,8}\.? \d)[^.\x00]{0,40}\.?|[^.\x00]{0,60}\.?\s?$)")


def _strip_id_tail(s: str) -> str:
    """Trailing punctuation never belongs to an identifier; a closing bracket only when it is unbalanced."""
    while s:
        last = s[-1]
        if last in ".,;:'\u2019\u201d>" or last in ")]}" and s.count({")": "(", "]": "[", "}": "{"}[last]) < s.count(last):
            s = s[:-1]
        else:
            break
    return s


# a link that the PDF broke over two lines comes out with a space in it: "https://doi.org/10.1016/j.enbui ld.2021.1",
# "htt ps://doi.org/...", "https://www. Linkedin.Com/Pulse/...", ".../ipsos- publiek.nl/wp- content/..."
_BROKEN_SCHEME = re.compile(r"\bhtt ?p ?(s?) ?:\s?//")
_LINK_PIECE = re.compile(r" ([^\s\"<>()\[\]][^\s\"<>]*)")
_INNER_DOT = re.compile(r"\w\.\w")
_YEAR_CLOSING = re.compile(r"^ \(\d{4}\)")
_PUBMED_ID = re.compile(r"\d{5,9}[.,;]?")  # PLOS and BMC print it bare after the DOI
_SPACE_AFTER_DOI_PREFIX = re.compile(r"\b(10\.\d{4,9}/) (?=\w)")
# "https://doi.org/1 0.1016/S0360-...", "doi.org/10.1 002/sim.3697": the break fell inside the DOI's prefix
_BROKEN_DOI_PREFIX = re.compile(r"(?<=doi\.org/)1 ?0 ?\.(?: ?\d){4,9}(?=/)")


def _link_end(text: str, end: int, doi: bool) -> int:
    """Where a link that ends (as matched) at ``end`` really ends, taking in pieces that a line break split off."""
    for _ in range(16):  # (a long link broken at every hyphen: "rapport- duurzaam- denken- ... embargo.pdf")
        m = _LINK_PIECE.match(text, end)
        if not m:
            break
        piece = m.group(1)
        core = _strip_id_tail(piece)
        if not core or piece.lower().startswith(("http", "www.", "doi")):
            break  # the next link, not the rest of this one
        link_like = "/" in core or "%" in core or _INNER_DOT.search(core) is not None or core[0] in "+=&?#"
        # (a piece that breaks at its own hyphen goes on too: ".../The- Peoples- Climate- Vote- Results.html")
        lower_start = core[0].islower() or core[0].isdigit() or (text[end - 1] == "-" and piece.endswith("-"))
        # a break inside the link, not the sentence end after it ("http://www.sib.gob.ar. 2024.")
        broken_at = text[end - 1] in "-\u2010\u2011/_.=%" and not (text[end - 1] == "." and core.isdigit())
        last = not _YEAR_CLOSING.sub("", text[m.end():]).strip(" .;,)")  # Nature: "... 10.1155/2014/69792 3 (2014)."
        if not (link_like or (broken_at and lower_start) or
                (doi and last and (text[end - 1].isalnum() or text[end - 1] == ")") and lower_start and any(c.isdigit() for c in core) and
                 not _PUBMED_ID.fullmatch(piece))):
            break
        end = m.end()
    return end


def _take_identifiers(text: str, out: Reference) -> str:
    """Set DOI, URL and PMID, and return the text without them (and without their labels: "doi:", "PMID")."""
    spans: list[tuple[int, int]] = []
    if "htt" in text:
        text = _BROKEN_SCHEME.sub(r"http\1://", text)
    if "/ " in text:  # "(doi:10.1007/ s11269-013-0374-4)"
        text = _SPACE_AFTER_DOI_PREFIX.sub(r"\1", text)
    if "doi.org/1" in text:
        text = _BROKEN_DOI_PREFIX.sub(lambda m: m.group().replace(" ", ""), text)
    low = text.lower()
    m = _DOI.search(text) if "10." in text else None
    if m:
        end = _link_end(text, m.end(), doi=True)
        out.DOI = _strip_id_tail(unquote(text[m.start():end].replace(" ", "")))
        end = m.start() + len(_strip_id_tail(text[m.start():end]))
        start = m.start()
        if low.endswith("doi.org/", 0, start):  # "https://doi.org/10...": the link is the DOI
            start = low.rfind("doi.org/", 0, start)
            start = next((k for k in (low.rfind("http", start - 12, start), low.rfind("dx.", start - 3, start),
                                      low.rfind("www.", start - 4, start)) if k >= 0), start)
        spans.append((start, end))
        pmid = _PMID_AFTER_DOI.match(text, end)
        if pmid:  # PLOS and BMC print the PubMed id bare after the DOI: "10.1038/nrmicro1460 16845428"
            out.PMID = pmid.group(1)
            spans.append((pmid.start(1), pmid.end(1)))
    if "http" in low or "www." in low:
        for k, m in enumerate(_URL.finditer(text)):
            if k >= 20:
                break  # an entry cites a few URLs at most
            if any(a <= m.start() < b for a, b in spans):
                continue
            end = _link_end(text, m.end(), doi=False)
            url = _strip_id_tail(text[m.start():end].replace(" ", ""))
            if "doi.org/10." not in url.lower() and not out.URL:
                out.URL = url if url.lower().startswith("http") else "http://" + url
            spans.append((m.start(), m.start() + len(_strip_id_tail(text[m.start():end]))))
    if "pmid" in low or "pubmed" in low:
        m = _PMID.search(text)
        if m:
            out.PMID = m.group(1)
            spans.append((m.start(), m.end()))
        for m in _PMCID.finditer(text):
            spans.append((m.start(), m.end()))
    if spans:
        spans.sort()
        parts, pos = [], 0
        for a, b in spans:
            parts.append(_drop_id_label(text[pos:max(a, pos)]))
            parts.append(" ")
            pos = max(pos, b)
        parts.append(text[pos:])
        text = "".join(parts)
    if "epub" in low or "e-pub" in low or "ahead of print" in low:
        text = _EPUB.sub(" ", text)
    if "isbn" in low:
        text = _EMPTY_FIELD.sub(",", _ISBN.sub(" ", text))  # (", ISBN ..., Series" leaves one comma)
    if "issn" in low or "ovid " in low or "cab abstracts" in low:
        text = _DATABASE_NOTE.sub(lambda m: "," if m.group().endswith(",") else " ", text)
    if "ccess" in low or "etrieve" in low or "iewed" in low or "[cited" in low:
        text = _ACCESSED.sub(" ", text)
    if "()" in text or "[]" in text or "[ ]" in text or "( )" in text or "online" in low:
        text = _EMPTY_BRACKETS.sub(" ", text)
    if "cross" in low or "pub" in low or "scholar" in low or "[" in text:
        text = _LINK_LABELS.sub(" ", text)
    text = _squash(text)
    if not out.PMID and (text[-1:].isdigit() or text[-2:-1].isdigit()):
        m = _TRAILING_PMID.search(text, max(0, len(text) - 12))
        # a bare 7-8 digit number closing the entry, after the pages or the DOI, is a PubMed id (PLOS, BMC)
        if m and (out.DOI or text[:m.start()].rstrip()[-1:].isdigit()):
            out.PMID = m.group(1)
            text = text[:m.start()].rstrip()
    return _SPACE_BEFORE_PUNCT.sub("", text) if spans else text


# ------------------------------------------------------------------------------------------- names

_DASHES = "\\-\u2010\u2011\u2013"  # names use hyphens; some XML sets en dashes ("Shen–Orr")
_INIT_DOTTED = re.compile(rf"^(?:[{_UP}][a-z]?\.){{1,4}}$|^[{_UP}]\.?[{_DASHES}][{_UP}]\.?$")
_INIT_CAPS = re.compile(rf"^[{_UP}]{{1,4}}$|^[{_UP}]{{1,3}}[{_DASHES}][{_UP}]{{1,3}}$")
# (an apostrophe may close a name where an accent was elided: "Betro’ S" for Betrò)
_WORD = re.compile(rf"^(?:(?:[DdLlOo]|Mc|Mac)['\u2019])?[{_UP}][^\W\d_]*(?:['\u2019{_DASHES}][^\W\d_]+)*['\u2019]?\.?$")
_PARTICLE_WORD = re.compile(
    rf"^(?:[dl]['\u2019][{_UP}]|(?:al|el|ben|bin|ibn|de|da|di|van|von|le|la)[{_DASHES}][^\W\d_])[^\W\d_]*"
    rf"(?:[{_DASHES}][^\W\d_]+)*$")
_SUFFIX = re.compile(r"^(?:Jr|Sr|Jnr|Snr|[2-4](?:nd|rd|th)|II|III|IV)\.?,?$")
_ET_AL = re.compile(r",?\s*(?:\bet\.?\s*al\b\.?|\band\s+others\b|\u2026|\.\.\.)\s*,?", re.IGNORECASE)
_EDITORS = re.compile(r"\(\s*(?:eds?|editors?|hrsg|coords?|comps?)\.?\s*\)|,?\s+\b(?:eds?|editors?)\.?\s*$", re.IGNORECASE)
_AND_SEPARATOR = re.compile(r",? (?:&|and) ")
_AND = re.compile(r"&|\band\b")
_DOTS_INSIDE = re.compile(rf"(?<=[{_UP}]\.)(?=[{_UP}])")  # "J.A." -> "J. A."
_NOT_A_NAME = re.compile(r"[\"?!:\[\]]|\d\d\d\d")
_SENTENCE_END = re.compile(r"([^\W\d_]{3,})\)?\.+\s+\S")  # (also "(APN). Sistema", a link's hole "..")
_NAME_ABBREVIATIONS = frozenset("inc ltd corp dept univ assoc natl intl jnr snr wm chas geo jas".split())
_CONNECTORS = frozenset("of for on the at in des du für fur und to".split())
# little words that join a title's words and never stand inside a name
_TITLE_LINK_WORDS = frozenset("to in of the for on at with from by is as an".split())
# of those, the ones a body's name hardly holds: "Responses to Climate Change" after people is a title run in
_SENTENCE_LINK_WORDS = frozenset("to in with from by is as an are was".split())


# shapes of a name, as a string of token classes (see _kind)
_K_RUN_TOGETHER = re.compile(r"(?:P*W+[IC]+){2,}")
_K_SURNAME_INITIALS_RUN = re.compile(r"P*W+[IC]+")
_K_SURNAME_INITIALS = re.compile(r"([PW]*W[PW]*?)([IC]+)")
_K_SURNAME_GIVEN = re.compile(r"(P*W+)([IC]+W+)")
_K_GIVEN_FIRST = re.compile(r"([IW]*I[IW]*?)(P*W)")
_K_WORDS = re.compile(r"P*W(?:P*W){0,3}")
_K_SURNAME_INITIALS_PLAIN = re.compile(r"[PW]*W[PW]*?[IC]+")
_K_STARTS_PERSON = re.compile(r"P*W+[IC]")
_K_INITIAL_FIRST = re.compile(r"I[ICW]*?P*W")
_K_WORD_INITIAL_WORD = re.compile(r"W+I+W")
_K_WORDS_ONLY = re.compile(r"P*W(?:P*W)+")
_K_TWO_WORDS_INITIALS = re.compile(r"WW[IC]+")
_K_BARE_SURNAME = re.compile(r"P*[WC](?:P*W){0,3}")
_K_INITIALS_THEN_WORDS = re.compile(r"I+P*W+")
_K_INITIALS = re.compile(r"I+")
_K_SURNAME_CAPS = re.compile(r"P*W+C")
_DASH_SPLIT = re.compile(f"[{_DASHES}]")
_K_ONE_SURNAME_INITIALS = re.compile(r"P*W[IC]+")  # "Post AB" is a person even though "post" names newspapers
_CAPS3 = re.compile(f"[{_UP}]{{3,}}")


def _without_marks(s: str) -> str:
    """The text without combining marks: a PDF may set an accent that has no composed letter as a mark of
    its own after the letter ("Z\u0306agminas", "Balc\u0306iu\u0304naite")."""
    if s.isascii():
        return s
    return "".join(c for c in s if not unicodedata.combining(c))


# Dutch particles cut short as Wiley prints them: "S. v. d. Groep", "L. W. t. Brinke"
_ABBREVIATED_PARTICLES = frozenset("v. d. t. vd. v.d. v.d".split())


@lru_cache(maxsize=4096)
def _kind(tok: str) -> str:
    """Token class inside a name: I (initial), C (block of capitals), P (particle), W (name word),
    S (suffix such as Jr), X (anything else)."""
    tok = _without_marks(tok)
    if _INIT_DOTTED.match(tok):
        return "I"
    if _INIT_CAPS.match(tok):
        return "C" if len(tok) > 1 else "I"
    if tok[0].islower() and tok.lower() in _PARTICLES:
        return "P"
    if tok in _ABBREVIATED_PARTICLES:
        return "P"
    if _SUFFIX.match(tok):
        return "S"
    if _PARTICLE_WORD.match(tok) or _WORD.match(tok):
        return "W"
    return "X"


def _initials(tokens: list[str], kinds: str) -> str:
    """'SV' -> 'S. V.', 'D-H' -> 'D.-H.', 'J' -> 'J.', 'Z. S.' stays; full given names are kept as printed."""
    return _initials_of(tuple(tokens), kinds)


@lru_cache(maxsize=4096)
def _initials_of(tokens: tuple[str, ...], kinds: str) -> str:
    out = []
    for tok, kind in zip(tokens, kinds):
        if kind == "C" or (kind == "I" and tok[-1] != "."):
            if len(tok) == 1:
                out.append(tok + ".")
                continue
            parts = _DASH_SPLIT.split(tok, maxsplit=1)
            out.append("-".join(" ".join(c + "." for c in part) for part in parts))
        else:
            out.append(tok)
    return " ".join(out)


_JOINED_NAMES = re.compile(r"[^\W\d_][&/][^\W\d_]")


def _is_corporate(words: list[str], text: str) -> bool:
    """Does this read as the name of an organisation ("Human Rights Watch", "Times of India", "France 24")?"""
    if not words:
        return False
    low = [w.lower().strip(".,()") for w in words]
    content = [w for w, lw in zip(words, low) if lw not in _STOPWORDS]
    if content and sum(1 for w in content if w[:1].isupper() or w[:1].isdigit()) < 0.6 * len(content):
        return False  # a sentence ("A guide to industry classification benchmark"), not a name
    if low[0] == "the" or any(w in _CORPORATE_WORDS for w in low):
        return True
    if any(ch.isdigit() for ch in text) or _JOINED_NAMES.search(text):
        return True  # "France 24", "Ipsos I&O", "European Commission/Deloitte"
    return any(w in _CONNECTORS for w in low[1:])


@dataclass
class _Piece:
    tokens: list[str]
    kinds: str

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def _pieces(segment: str) -> list[_Piece]:
    pieces = []
    if "&" in segment or " and " in segment:
        segment = _AND_SEPARATOR.sub(",", segment)
    for part in segment.replace(";", ",").split(","):
        part = part.strip(" .")
        if not part:
            continue
        toks = (_DOTS_INSIDE.sub(" ", part) if "." in part else part).split()
        kinds = [_kind(t) for t in toks]
        if "X" in kinds:
            for i in range(1, len(toks)):
                # "Della santina", "Van heel": a lower-case word after a particle is still the surname
                if kinds[i] == "X" and toks[i].isalpha() and toks[i][0].islower() and \
                        toks[i - 1].lower() in _PARTICLES:
                    kinds[i] = "W"
        while len(toks) > 1 and kinds[-1] == "S":  # "Mainous AG 3rd", "Smith J Jr"
            toks, kinds = toks[:-1], kinds[:-1]
        k = "".join(kinds)
        if _shape(k) & _RUN_TOGETHER:
            # "Redelmeier DA Tversky A", "Fischer N Plummer SJ": names run together without a comma
            for m in _K_SURNAME_INITIALS_RUN.finditer(k):
                pieces.append(_Piece(toks[m.start():m.end()], m.group()))
            continue
        pieces.append(_Piece(toks, k))
    return pieces


def _family_span(tokens: list[str], kinds: str) -> int:
    """How many leading tokens form the surname when it comes first: particles (also capitalised: 'Van
    Essen', 'De Los Angeles', 'San Filippo'), one surname word, and joined parts ('Aguera y Arcas')."""
    i, n = 0, len(tokens)
    while i + 1 < n and (kinds[i] == "P" or (kinds[i] == "W" and tokens[i].lower() in _PARTICLES and kinds[i + 1] in "WP")):
        i += 1
    i += 1
    while i + 1 < n and kinds[i] == "P" and kinds[i + 1] == "W":
        i += 2
    return min(i, n)


# Shape flags of a piece, from its string of token classes; shapes repeat, so each is classified once.
_SURNAME_INITIALS, _INITIAL_FIRST, _WORD_INITIAL_WORD, _WORDS_ONLY, _TWO_WORDS, _BARE_SURNAME, \
    _INITIALS_ONLY, _INITIALS_OR_CAPS, _INITIALS_THEN_WORDS, _STARTS_PERSON, _SURNAME_CAPS, _RUN_TOGETHER, \
    _HAS_INITIAL = (1 << i for i in range(13))
_SHAPES = ((_SURNAME_INITIALS, _K_SURNAME_INITIALS_PLAIN, "full"), (_INITIAL_FIRST, _K_INITIAL_FIRST, "full"),
           (_WORD_INITIAL_WORD, _K_WORD_INITIAL_WORD, "full"), (_WORDS_ONLY, _K_WORDS_ONLY, "full"),
           (_TWO_WORDS, _K_TWO_WORDS_INITIALS, "full"), (_BARE_SURNAME, _K_BARE_SURNAME, "full"),
           (_INITIALS_THEN_WORDS, _K_INITIALS_THEN_WORDS, "full"), (_STARTS_PERSON, _K_STARTS_PERSON, "start"),
           (_SURNAME_CAPS, _K_SURNAME_CAPS, "start"), (_RUN_TOGETHER, _K_RUN_TOGETHER, "full"))


@lru_cache(maxsize=2048)
def _shape(k: str) -> int:
    flags = 0
    for flag, pattern, how in _SHAPES:
        if (pattern.fullmatch(k) if how == "full" else pattern.match(k)):
            flags |= flag
    if k and set(k) <= {"I"}:
        flags |= _INITIALS_ONLY
    if k and set(k) <= {"I", "C"}:
        flags |= _INITIALS_OR_CAPS
    if "I" in k:
        flags |= _HAS_INITIAL
    return flags


@lru_cache(maxsize=4096)
def _person_rule(k: str, given_first: bool | None, full_given: bool) -> tuple[str, int]:
    """How a piece of shape ``k`` splits into surname and given names: (rule, index).

    ``given_first`` is the list's convention when known: True for IEEE/ACL ("Daniel S. Weld"), False for
    Vancouver/eLife ("Weld DS", "Wijnker Erik"), None when no piece of the list tells. ``full_given``:
    the list spells given names out ("Bailey Timothy L, Williams Nadya"), so "Bailey Timothy L" is
    surname Bailey, not a two-word surname like "Lo Bianco C".
    """
    if not k or "X" in k or "S" in k or len(k) > 7:
        return "none", 0
    m = _K_SURNAME_INITIALS.fullmatch(k)
    if m:  # surname, then initials: "Avery SV", "van den Bogaard P", "Morris R. M", "Lo Bianco C"
        return ("span-initials" if full_given else "surname-initials"), len(m.group(1))
    if k in ("CI", "II") and given_first is not True:
        return "caps-initial", 1  # "DU X"
    if _K_SURNAME_GIVEN.fullmatch(k) and given_first is False:
        return "span-given", 0  # "de Snoo C Bastiaan": surname, then given names
    m = _K_GIVEN_FIRST.fullmatch(k)
    if m and m.group(1).count("W") <= 2:  # initials first: "E. Braunwald", "Daniel S. Weld"
        return "given-first", len(m.group(1))
    if not _K_WORDS.fullmatch(k):
        return "none", 0
    # words only: "Arman Cohan" (given first) or "Wijnker Erik" (eLife: surname first)
    if len(k) == 1:
        return "single", 1
    if given_first is False:
        return "span-given", 0
    n = len(k) - 1
    while n > 0 and k[n - 1] == "P":
        n -= 1
    return "given-first", n


def _person(piece: _Piece, given_first: bool | None, full_given: bool) -> Name | None:
    """One person from one piece, or None when the piece is not shaped like a name."""
    k, t = piece.kinds, piece.tokens
    rule, n = _person_rule(k, given_first, full_given)
    if rule == "none":
        return None
    # a full word ending in a period inside a name ("Smith J. Cells. Nature") is a sentence, not a name
    if len(t) > 1 and any(kind == "W" and tok[-1] == "." for tok, kind in zip(t[:-1], k[:-1])):
        return None
    if rule == "surname-initials":
        return Name(family=" ".join(t[:n]), given=_initials(t[n:], k[n:]))
    if rule == "span-initials":
        n = _family_span(t, k)
        return Name(family=" ".join(t[:n]), given=_initials(t[n:], k[n:]))
    if rule == "caps-initial":
        if len(t[0]) < 2 or k[0] != "C":
            return None
        return Name(family=t[0], given=_initials(t[1:], k[1:]))
    if rule == "span-given":
        n = _family_span(t, k)
        return Name(family=" ".join(t[:n]), given=" ".join(t[n:]))
    if rule == "single":
        return Name(family=t[0].rstrip("."))
    while n > 1 and t[n - 1].lower() in _PARTICLES and k[n - 1] == "W":
        n -= 1  # "A. W. De Tomaso", "M. Van Essen": a capitalised particle belongs to the surname
    last_initial = k.rfind("I", 0, n)
    particle = next((j for j in range(last_initial + 1, n) if t[j].lower() in _PARTICLES and len(t[j]) > 1), None)
    if last_initial >= 0 and particle is not None:
        n = particle  # "D. Di Menno Bucchianico": the surname starts at its particle, however many words follow
    return Name(family=" ".join(t[n:]).rstrip("."), given=_initials(t[:n], k[:n]))


@dataclass
class _Authors:
    names: list[Name]
    ok: bool  # the whole segment read as a name list


def _has_corporate_word(tokens: list[str]) -> bool:
    return any(t.lower().strip(".,()") in _CORPORATE_WORDS for t in tokens)


# The commonest list by far (eLife, PLOS, Vancouver): "Surname AB, van Other C, et al" with one-word
# Latin surnames. It reads the same through the general path below (checked on the whole corpus), only
# several times slower.
_LOW = "a-z\u00DF-\u00F6\u00F8-\u00FF"
_SIMPLE_SURNAME = (rf"(?:(?:van|von|de|der|den|del|della|di|da|du|le|la|ter|ten|dos|das) )*"
                   rf"[A-Z\u00C0-\u00D6\u00D8-\u00DE][{_LOW}]+(?:[-'][A-Z]?[{_LOW}]+)*")
_SIMPLE_LIST = re.compile(rf"(?:{_SIMPLE_SURNAME} [A-Z]{{1,3}}, )*{_SIMPLE_SURNAME} [A-Z]{{1,3}}(?:,? et al\.?)?")
_SIMPLE_NAME = re.compile(rf"({_SIMPLE_SURNAME}) ([A-Z]{{1,3}})(?=,| et|$)")


def _caps_initials_follow(pieces: list[_Piece], idx: int) -> bool:
    """"Wireko, AA, Jiffry, R" (Frontiers): a person's surname, then initials in capitals without periods as a
    piece of their own (not "World Health Organization, WHO")."""
    if idx + 1 >= len(pieces):
        return False
    nxt, here = pieces[idx + 1], pieces[idx]
    return nxt.kinds == "C" and len(nxt.tokens[0]) <= 3 and len(here.tokens) <= 2 and \
        not _has_corporate_word(here.tokens)


# "Rijksinstituut voor Volksgezondheid en Milieu (RIVM)", "Clinical and Laboratory Standards Institute (CLSI)":
# a body's name, then its acronym in brackets (no person prints one)
_BODY_WITH_ACRONYM = re.compile(rf"[{_UP}][^(),;]{{2,150}} \([{_UP}][{_UP}a-z&\-]{{0,10}}[{_UP}]\)")


def _is_named_body(words: list[str]) -> bool:
    """Two words or more, most of them capitalised, none an initial: the name of a body, not a list of people."""
    content = [w for w in words if w.lower() not in _STOPWORDS]
    return len(words) >= 2 and sum(1 for w in content if w[:1].isupper()) >= 0.6 * len(content) and \
        not any(_kind(w) == "I" for w in words)


def _parse_authors(segment: str) -> _Authors:
    """Read a segment known (or supposed) to hold only the author list; ``ok`` says whether it does."""
    seg = segment.strip(" .,;")
    if _SIMPLE_LIST.fullmatch(seg):
        return _Authors([Name(family=f, given=_initials_of((g,), "C")) for f, g in _SIMPLE_NAME.findall(seg)], True)
    seg = segment
    if "ed" in seg or "Ed" in seg or "(" in seg:
        seg = _EDITORS.sub(" ", seg)
    if "al" in seg or "..." in seg or "\u2026" in seg or "others" in seg:
        seg = _ET_AL.sub(", ", seg)
    seg = seg.strip(" .,;")
    if not seg:
        return _Authors([], True)
    # quotes, questions, colons, a year, or a full word closing a sentence: a title, not a name list
    if _NOT_A_NAME.search(seg) or (". " in seg and any(
            m.group(1).lower() not in _NAME_ABBREVIATIONS for m in _SENTENCE_END.finditer(seg))):
        return _Authors([], False)
    if seg.endswith(")") and _BODY_WITH_ACRONYM.fullmatch(seg) and _is_named_body(seg[:seg.rfind(" (")].split()):
        return _Authors([Name(literal=seg)], True)
    pieces = _pieces(seg)
    if not pieces:
        return _Authors([], True)
    shapes = [_shape(p.kinds) for p in pieces]
    surname_initials = sum(1 for f in shapes if f & _SURNAME_INITIALS)
    # "The U.S. Surgeon General's Advisory": a body whose name holds an abbreviation, not a person "The, U. S."
    the_body = seg.startswith("The ") and len(seg.split()) >= 3 and len(pieces) == 1
    if the_body or surname_initials < 2 and not any(f & _HAS_INITIAL and not _has_corporate_word(p.tokens)
                                                    for p, f in zip(pieces, shapes)) and \
            not any(_K_ONE_SURNAME_INITIALS.fullmatch(p.kinds) for p in pieces):
        words = seg.split()
        strong = words[0].lower() == "the" or any(_has_corporate_word(p.tokens) for p in pieces) or any(
            (p.kinds == "C" and len(p.tokens[0]) >= 3 and not (i and _caps_initials_follow(pieces, i - 1))) or
            (len(p.tokens) > 1 and p.kinds[1] == "W" and _CAPS3.fullmatch(p.tokens[0])) for i, p in enumerate(pieces))
        if strong and len(pieces) > 1 and all(p.kinds == "C" for p in pieces):
            return _Authors([Name(literal=p.tokens[0]) for p in pieces], True)  # "WHO; WIPO; WTO": three bodies
        weak = not strong and not shapes[0] & _STARTS_PERSON and _is_corporate(words, seg)
        if (strong or weak) and len(words) <= 40:
            # "DCAF and Geneva Call", "Human Rights Watch", "The Economic Times", "R Core Team": one body
            literal = seg
            if segment.strip(" ,;").startswith(seg + ".") and seg.rsplit(" ", 1)[-1].lower() in _NAME_ABBREVIATIONS:
                literal += "."  # "No Lie MRI, Inc."
            return _Authors([Name(literal=literal)], True)
        # "Reuters.", "Al-Jazzera." ("Hussain,." keeps its comma: an APA surname missing its initials)
        if len(words) == 1 and pieces[0].kinds in ("W", "C") and not segment.rstrip(" .").endswith(","):
            return _Authors([Name(literal=pieces[0].tokens[0])], True)
    # convention of the list: surname first (Vancouver, eLife) or given names first (IEEE, ACL)?
    given_first = sum(1 for p, f in zip(pieces, shapes) if f & _INITIAL_FIRST or (
        f & _WORD_INITIAL_WORD and all(t.endswith(".") for t, c in zip(p.tokens, p.kinds) if c == "I")))
    words_only = sum(1 for f in shapes if f & _WORDS_ONLY)
    convention: bool | None = None
    if surname_initials > given_first:
        convention = False
    elif given_first > surname_initials:
        convention = True
    elif len(pieces) >= 2 and words_only == len(pieces):
        # "Buhler Cyril, Borde Valérie" (eLife) vs "Arman Cohan and Sergey Feldman" (ACL: 'and' before the last)
        convention = bool(_AND.search(seg))
    two_words = sum(1 for f in shapes if f & _TWO_WORDS)
    # "Bailey Timothy L, Williams Nadya": given names spelt out, so the surname is the first word only
    # (not when another person of the list has initials alone, "Hamlaci Baskaya Y, Unlu Bidik N, Yolcu B": then
    # the two words are a compound surname, as Vancouver prints Turkish, Spanish and Portuguese ones)
    full_given = convention is False and (words_only > 0 or (two_words >= 2 and two_words * 2 > len(pieces) and
                                                             not any(_K_ONE_SURNAME_INITIALS.fullmatch(p.kinds)
                                                                     for p in pieces)))
    names: list[Name] = []
    bad: list[_Piece] = []
    first_bad = False
    pending: Name | None = None  # APA: a surname waiting for its initials in the next piece
    for idx, p in enumerate(pieces):
        f = shapes[idx]
        nf = shapes[idx + 1] if idx + 1 < len(pieces) else 0
        if f & _INITIALS_ONLY or (pending is not None and f & _INITIALS_OR_CAPS):
            # a piece of initials: the given names of the surname before it ("Raz, I, G.")
            if pending is not None or (names and names[-1].family and len(p.tokens) <= 2):
                target = pending or names[-1]
                target.given = (target.given + " " + _initials(p.tokens, p.kinds)).strip()
            else:
                bad.append(p)
                first_bad = first_bad or idx == 0
            continue
        pending = None
        # APA "Surname, I.": a bare surname followed by a piece of initials
        if f & _BARE_SURNAME and (nf & (_INITIALS_ONLY | _INITIALS_THEN_WORDS) or _caps_initials_follow(pieces, idx)):
            pending = Name(family=p.text.rstrip("."))
            names.append(pending)
            continue
        # "Ayalon, A. Raz, I, G.": the initials of one surname run into the next surname
        if f & _INITIALS_THEN_WORDS and names and not names[-1].given and shapes[idx - 1] & _BARE_SURNAME \
                and nf & _INITIALS_ONLY:
            n = len(_K_INITIALS.match(p.kinds).group())
            names[-1].given = _initials(p.tokens[:n], p.kinds[:n])
            pending = Name(family=" ".join(p.tokens[n:]))
            names.append(pending)
            continue
        if p.kinds == "C" and len(p.tokens[0]) >= 3 and names and ";" in seg:
            names.append(Name(literal=p.tokens[0]))  # "Shah VP; FIP; AAPS": bodies named after the people
            continue
        if not f & (_HAS_INITIAL | _SURNAME_CAPS) and len(p.tokens) <= 12 and _is_corporate(p.tokens, p.text) and \
                not (names and any(t in _SENTENCE_LINK_WORDS for t in p.tokens)):
            names.append(Name(literal=p.text))
            continue
        person = _person(p, convention, full_given)
        if person is None:
            bad.append(p)
            first_bad = first_bad or idx == 0
            continue
        names.append(person)
    # a stray malformed co-author ("Curtis D, H Clark S", "Levin S a") is tolerated; a sentence is not
    # (a title's words run into the list are not: "Callaghan, R. Public Risk Perceptions, ..., and Responses to ...")
    tolerable = len(bad) <= max(1, len(pieces) // 5) and all(
        len(b.tokens) <= 4 and (b.kinds[-1] in "IC" or not any(
            len(t) >= 3 and t[0].islower() and t.lower() not in _PARTICLES for t in b.tokens)) and
        not any(t in _TITLE_LINK_WORDS for t in b.tokens[1:]) for b in bad)
    return _Authors(names, bool(names) and not first_bad and (not bad or tolerable))


# --------------------------------------------------------------------------------------- the year
#
# Speed: a pattern that starts with a literal or a plain character class lets the regex engine skip to
# candidates; one that starts with a lookbehind or an optional group is tried at every position. So the
# "not preceded by" checks sit after the first character ("1(?<![\d./-]1)": the character before the
# year's first digit), or are done in code on the match.

_Y = r"(?:1[5-9]\d\d|20\d\d)"
_PAREN_YEAR = re.compile(
    rf"\((?P<year>{_Y})(?P<suffix>[a-zA-Z])?(?=[,.)\s])(?P<rest>[^()]{{0,30}}?)\)"
    r"|\((?P<nd>n\.?\s?d\.?|N\.?\s?D\.?|no date|undated|in press|forthcoming|submitted)\)"
    rf"|\((?P<year2>{_Y})(?P<suffix2>[a-z])?\.(?=\s)", re.IGNORECASE)
# "2012." or "2012a." standing alone after the names (the caller checks what precedes it)
_DOT_YEAR = re.compile(rf"(?P<year>{_Y})(?:[-\u2013]\d{{2,4}})?(?P<suffix>[a-z])?(?:\.(?=\s|$)|,(?=\s))")
# "Albert DM, Bowyer RT 1991 Factors", Royal Society "Goodfellow I, Bengio Y, Courville A. 2016 Deep learning."
_BARE_YEAR = re.compile(rf"(?:(?<=[{_UP}] )|(?<=[{_UP}]\. ))(?P<year>{_Y})(?P<suffix>[a-z])? (?=[{_UP}\"])")
_END_PAREN_YEAR = re.compile(rf"\s\((?P<year>{_Y})(?P<suffix>[a-z])?\)$")
_BARE_ND = re.compile(r"(?P<nd>[nN]\.\s?[dD]\.)(?=[\s.,]|$)")
# a year glued to an abbreviation's full stop counts ("Surg.1992:"); an arXiv id does not ("arXiv:1710.09282")
_ANY_YEAR = re.compile(r"(?:1(?<![\d/-]1)(?<!\d\.1)[5-9]|2(?<![\d/-]2)(?<!\d\.2)0)\d\d(?!\d|\.\d{4,5}\b)")
_DATE_NUMERIC = re.compile(r"\d(?<![\d/.]\d)\d?/\d{1,2}/(?:\d{4}|\d{2})(?![\d/])")
_MONTH_DAY = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})\b|(\d{1,2})\s+([A-Za-z]{3,9})\b|([A-Za-z]{3,9})\b")


def _date_parts(year: int, rest: str) -> list[int]:
    """[year], or [year, month, day] from '(2023, July 4)'."""
    rest = rest.strip(" ,.")
    if not rest:
        return [year]
    m = _MONTH_DAY.match(rest)
    if not m:
        return [year]
    month = _MONTHS.get((m.group(1) or m.group(4) or m.group(5) or "").lower()[:3])
    day = m.group(2) or m.group(3)
    if not month:
        return [year]
    if day and 1 <= int(day) <= 31:
        return [year, month, int(day)]
    return [year, month]


# ------------------------------------------------------------------------------------- location

_PAGES = r"[A-Za-z]{0,8}\d+[A-Za-z\d.]{0,12}(?:\s?[-\u2010-\u2015]\s?[A-Za-z]{0,3}\d+[A-Za-z\d]{0,12})?"
_ISSUE = r"(?:\((?P<iss>[^()]{1,25}?)\))?"
# Vancouver: "2006;4:577-87", "2000 Jan;57(3):339-44", "2014; 9: 1-10"
_LOC_VANCOUVER = re.compile(
    rf"(?P<year>{_Y})(?<![\d/]....)(?P<suffix>[a-z])?(?:\s[A-Z][a-z]{{2,9}}\.?(?:\s?[-\u2013/]\s?[A-Z][a-z]{{2,9}}\.?)?"
    rf"(?:\s\d{{1,2}})?)?\s?;\s?(?P<vol>\d{{1,5}}[A-Za-z]?)?\s?{_ISSUE}"
    rf"(?:\s?(?:Suppl\w*\.?\s?\d*)?\s?:\s?(?P<pages>{_PAGES}))?")
# eLife/PLOS: "5:158-163", "21 :2104", "9(8): e103411", "108 Suppl: 4680-4687"
_LOC_COLON = re.compile(
    rf"\d(?<![\w.]\d)\d{{0,4}}[A-Za-z]?\s?{_ISSUE}\s?(?:Suppl\w*\.?\s?\d*\s?)?:\s?(?P<pages>{_PAGES})(?![\w:])")
# APA/Harvard at the end of the entry: ", 3(2), 1-8", ", 28", ", vol. 5, pp. 1-8"
_LOC_APA = re.compile(
    rf",\s?(?:[Vv]ol(?:ume)?\.?\s?)?(?P<vol>\d{{1,5}}[A-Za-z]?)\s?{_ISSUE}"
    rf"(?:,\s?(?:pp?\.\s?)?(?P<pages>{_PAGES}))?\s?[.,]?\s?$")
# a page or an article number: "397", "e39", "eaav4236", "i802", "e2021JC017591", "fiw243"
_ARTICLE_PAGE = r"(?:[a-z]{1,4})?\d+(?:[A-Z]{1,3}\d+)?"
# "Sci Rep 2, 397" at the end
_LOC_VOL_PAGES = re.compile(
    rf"\d(?<![\w.]\d)\d{{0,4}}\s?{_ISSUE},\s?(?:pp?\.\s?)?(?P<pages>{_ARTICLE_PAGE}(?:\s?[-\u2013]\s?{_ARTICLE_PAGE})?)\s?\.?\s?$")
# Elsevier "Energy 40 (2012) 123-135", ACM "PLoS Comput Biol. 3, (2007), e39" and "108, suppl 3 (2000), 433-438"
_LOC_VOL_YEAR_PAGES = re.compile(
    rf" (?P<vol>\d{{1,5}}[A-Za-z]?)(?:,? (?P<iss>(?:[Ss]uppl\w*\.? )?\d{{1,4}}))?,? \((?P<year>{_Y})\),? "
    rf"(?P<pages>{_PAGES})\s?\.?$")
# BMC without punctuation, at the end: "2006 4 577 587"
_LOC_BMC = re.compile(rf"(?P<year>{_Y})(?<![\d/]....)\s(?P<vol>\d{{1,5}})(?:\s(?P<pages>[A-Za-z]?\d+(?:\s\d+)?))?\s?$")
# no volume: "eLife:e02105", "Handbook of Photosensory Receptors:1-24"
_LOC_NOVOL = re.compile(r":(?<=[A-Za-z]:)\s?(?P<pages>e\d+|\d+\s?[-\u2013]\s?\d+)(?![\w:])")
_IEEE_VOL = re.compile(r"[Vv]ol\.\s?(\d+[A-Za-z]?)")
_IEEE_NO = re.compile(r"[Nn]o\.\s?(\d+[A-Za-z\d-]*)")
_IEEE_PP = re.compile(rf"(?:pp?\.|pages)\s?({_PAGES})")
_VOLUME_START = re.compile(r"\d{1,5}[A-Za-z]?")


@dataclass
class _Loc:
    start: int
    end: int
    volume: str = ""
    issue: str = ""
    page: str = ""
    year: str = ""
    suffix: str = ""
    bmc: bool = False  # "Journal 2006 4 577 587": no punctuation anywhere in the entry


_SENTENCE_GAP = re.compile(r"(?<=[a-z\)])\. ")
_PAGE_DASH = re.compile(r"\s?[-\u2010-\u2015]\s?")


def _page(s: str | None) -> str:
    if not s:
        return ""
    s = _PAGE_DASH.sub("-", s.strip()).rstrip(".")
    if " " in s and s.replace(" ", "").isdigit():  # BMC: "577 587"
        s = s.replace(" ", "-")
    return s


def _issue(m: re.Match) -> str:
    return (m.group("iss") or "").strip()


def _standalone(pattern: re.Pattern, text: str) -> re.Match | None:
    """The first match that starts a word ("vol. 5", not "Protocol. 5")."""
    for m in pattern.finditer(text):
        if m.start() == 0 or text[m.start() - 1] in " ,(;":
            return m
    return None


def _find_location(text: str) -> _Loc | None:
    """The volume/issue/pages group of the entry: the last one, as titles may hold numbers too."""
    if ";" in text:
        best = None
        for m in _LOC_VANCOUVER.finditer(text):
            if m.group("vol") or m.group("pages"):
                best = m
        if best is not None:
            return _Loc(best.start(), best.end(), best.group("vol") or "", _issue(best),
                        _page(best.group("pages")), best.group("year"), best.group("suffix") or "")
    if ":" in text:
        best = None
        for m in _LOC_COLON.finditer(text):
            best = m
        if best is not None:
            vol = _VOLUME_START.match(text, best.start()).group()
            return _Loc(best.start(), best.end(), vol, _issue(best), _page(best.group("pages")))
    tail = max(0, len(text) - 80)  # the end-anchored shapes only ever match near the end
    vol = pp = None
    if "ol." in text or "p." in text or "pages" in text:
        vol, pp = _standalone(_IEEE_VOL, text), _standalone(_IEEE_PP, text)
        if vol:  # IEEE: "vol. 337, no. 19, pp. 1360-1369, 1997"
            no = _standalone(_IEEE_NO, text)
            found = [m for m in (vol, no, pp) if m]
            return _Loc(min(m.start() for m in found), max(m.end() for m in found), vol.group(1),
                        no.group(1) if no else "", _page(pp.group(1)) if pp else "")
    m = _LOC_APA.search(text, tail)
    if m and not m.group("pages") and text[max(0, m.start() - 1):m.start()].isdigit():
        m = None  # "Health 5, 3": volume and page (Nature, APS), read below, not a volume "3"
    if m and not m.group("iss") and not m.group("pages") and _ANY_YEAR.fullmatch(m.group("vol")):
        m = None  # "Publisher: City, USA, 1976": the year closes the entry, no volume
    if m and not (pp and not m.group("iss") and _ANY_YEAR.fullmatch(m.group("vol"))):  # ", 2019, pp. 1-9"
        return _Loc(m.start(), m.end(), m.group("vol"), _issue(m), _page(m.group("pages")))
    if pp:  # pages alone: "In Proceedings of ACL, pages 2270-2282", "(pp. 10-20)"
        start = pp.start() - 1 if pp.start() and text[pp.start() - 1] == "(" else pp.start()
        return _Loc(start, pp.end(), "", "", _page(pp.group(1)))
    m = _LOC_VOL_YEAR_PAGES.search(text, tail)
    if m:  # Elsevier: "Energy 40 (2012) 123-135"
        return _Loc(m.start(), m.end(), m.group("vol"), m.group("iss") or "", _page(m.group("pages")), m.group("year"))
    m = _LOC_BMC.search(text, tail)
    if m:
        return _Loc(m.start(), m.end(), m.group("vol"), "", _page(m.group("pages")), m.group("year"), bmc=True)
    m = _LOC_VOL_PAGES.search(text, tail)
    if m:
        vol = _VOLUME_START.match(text, m.start()).group()
        return _Loc(m.start(), m.end(), vol, _issue(m), _page(m.group("pages")))
    if ":" in text:
        last = None
        for m in _LOC_NOVOL.finditer(text):
            last = m
        if last:
            return _Loc(last.start(), last.end(), "", "", _page(last.group("pages")))
    m = _LOC_VOLUME_ONLY.search(text, tail)
    if m and text[m.start() - 1:m.start()].isalpha() and ". " in text[:m.start()]:
        return _Loc(m.start(), m.end(), m.group(1))
    return None


# ---------------------------------------------------------------------------------- title and venue

# a sentence end: ". ", "? ", '." ', '", ' after a closing quote, a quote glued to a capital ('".Al Jazeera'),
# or a chapter's " In: " with no period before it
_BOUNDARY = re.compile(r"[.?!\"](?:(?<=[.?!])\"? |(?<=[?!])\"?, |(?<=\")[.,] |(?<=\")[.,]?(?=[A-Z]))")
_ABBREVIATIONS = frozenset("vs al spp sp var cf eg ie etc dr st fig figs no vol ed eds jr sr ca approx "
                           "subsp nov gen comb inc ltd co corp dept univ".split())
_ROMAN = frozenset("i ii iii iv v vi vii viii ix x xi xii".split())
_PLACE_PUBLISHER = re.compile(r"(?P<place>[A-Z][^:;.\"]{1,40}?)\s?:\s?(?P<pub>[^:;\"]{2,120}?)[.;,]?$")
_IN_CONTAINER = re.compile(r"[Ii]n(?::\s?| )|Pages? \d+\s?[-\u2013]\s?\d+ [Ii]n ")
_CONFERENCE = re.compile(r"\b(?:Proc\.?|Proceedings|Conference|Conf\.|Workshop|Symposium|Meeting|Congress|"
                         r"Colloquium)\b")
_EDITORS_IN = re.compile(r"[^:()]{0,200}?(?:\((?:eds?|editors?)\.?\)|\beds?\.|\beditors?\b\.?)\s?[.,:]?\s?", re.IGNORECASE)
_VENUE_WORDS = re.compile(r"\b(?:Journal|Review|Proceedings|Transactions|Bulletin|Quarterly|Letters|Studies|"
                          r"Sciences?|Research|Affairs|Annals|Archives|Magazine|Papers|Reports?|Series|Monitor)\b")
_THESIS = re.compile(r"(?:Ph\.?\s?D\.?|M\.?\s?(?:Sc|A|S)\.?|Doctoral|Master'?s?|Diploma|Bachelor'?s?)?\s?"
                     r"(?:[Tt]hesis|[Dd]issertation)\b")
_NAME_WORDS = re.compile(r"[^\W\d_][\w'\u2019\-]*")
_JOURNAL_WORDS = re.compile(r"\b(?:Journal|Proceedings|Review|Letters)\b")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}"
# "; 2014", ", Oct. 1997", " 1991" closing the venue; a month may precede the year, a journal may not ("Drugs 1991")
_TRAILING_YEAR = re.compile(rf"[;,.]?\s?(?:{_MONTH}\.?\s?(?:\d{{1,2}},?\s?)?)?{_Y}[a-z]?\s?\.?\s?$")
_TRAILING_MONTH_DAY = re.compile(rf"[.,;]?\s?{_MONTH}\.?\s\d{{1,2}},?\s?$")
_EDITION = re.compile(r"[.,]? (?:\d+(?:st|nd|rd|th)|[Ss]econd|[Tt]hird|[Ff]ourth|[Ff]ifth|[Rr]evised|[Nn]ew) "
                      r"(?:ed|edn|edition|Ed|Edn|Edition)\b\.?(?: ed\b\.?)?:?")
_THESIS_NOTE = re.compile(r"\.?\s\[[^\[\]]{0,30}\b(?:[Tt]hesis|[Dd]issertation)\b[^\[\]]{0,80}\]$")
_DOUBLE_PERIOD = re.compile(r"(?<!\.)\.\.(?!\.)")
_PAGE_COUNT = re.compile(r"\.? \d+ ?pp?\.?$")  # "... Press. 771 pp." is the book's length, not a location
_IN_PRESS = re.compile(r"[.,]? \(?[Ii]n [Pp]ress\)?\.?$")
# the status of a work not yet published, closing the entry after its journal or year
_UNPUBLISHED = re.compile(r"[.,] (?:[Uu]nder [Rr]eview|[Ss]ubmitted|[Aa]ccepted|[Ff]orthcoming)$")
# a volume alone closing the entry: "PLoS computational biology 7", "D-Lib Magazine 12"
_LOC_VOLUME_ONLY = re.compile(r" (\d{1,4})\.?$")
_NOT_A_VENUE_START = re.compile(r"(?:No|Vol|pp?)\b")


# a journal name alone: capitalised words, maybe cut short with a period ("Phys. Rev. Lett.", "Nature",
# "Community Dent. Health", "J. Mater. Chem. A", "Nat. Commun.")
_ABBREVIATED_JOURNAL = re.compile(
    rf"(?:(?:[{_UP}][a-z]{{0,9}}\.|[{_UP}][a-z]+|of|and|&|[{_UP}]{{1,5}})(?: |$)){{1,7}}")  # ("J. Chromatogr. Sci.")
_MAX_VENUE = 300  # characters; the longest journal, proceedings or "In: editors, book" part is shorter


def _venue_like(s: str) -> bool:
    """Does this read like a journal, book series, proceedings or publisher name (not a sentence)?"""
    s = s.strip(" .,;:")
    if not s or len(s) > _MAX_VENUE:
        return False
    if _IN_CONTAINER.match(s) or _THESIS.match(s):
        return True
    if ": " in s:
        pp = _PLACE_PUBLISHER.match(s)
        if pp and len(pp.group("place").split()) <= 4 and pp.group("place")[0].isupper():
            return True  # "New York: The Modern library"
    if " ed" in s and _EDITORS_IN.match(s):
        return True  # "Nehm RH, Budd AF, editors. Evolutionary Stasis ..." (a chapter without "In:")
    words = _NAME_WORDS.findall(s)
    if not words:
        return False
    first = words[0]
    if not (first[0].isupper() or _LOWER_VENUE.match(first)) or (s[0].islower() and not _LOWER_VENUE.match(first)):
        return False
    content = [w for w in words if w.lower() not in _STOPWORDS]
    if not content:
        return False
    return all(w[0].isupper() or _LOWER_VENUE.match(w) for w in content)


def _boundaries(text: str) -> list[tuple[int, int, bool]]:
    """Sentence ends in ``text``: (end of the sentence, start of the next, weak).

    A weak end follows a single capital, a Roman numeral or a short acronym ("type A.", "placodes I.",
    "MS/MS."): it ends a title only when a venue name follows, never by default.
    """
    out = []
    for m in _BOUNDARY.finditer(text):
        i = m.start()
        if i == 0 or text[i - 1] in " ." or m.end() >= len(text):
            continue
        weak = False
        if text[i] == ".":
            word = text[text.rfind(" ", 0, i) + 1:i].rsplit("/", 1)[-1].lstrip("(\"'")
            if word.lower() in _ABBREVIATIONS:  # "vs.", "et al.", "sp."
                continue
            weak = word.lower() in _ROMAN or (len(word) <= 2 and word.isalpha() and word.isupper())
        nxt = text[m.end():m.end() + 15]
        if nxt[:1].islower() and not _IN_CONTAINER.match(nxt) and \
                not _LOWER_VENUE.match(nxt.split(" ", 1)[0].strip(".,:;")):
            continue  # "E. coli", "vs. the": the sentence goes on
        out.append((i + (1 if text[i] in "?!" else 0), m.end(), weak))
    if " In: " in text:  # "... coral reefs In: Sale PF. Coral reef fishes": a chapter, no period before it
        i = text.find(" In: ", 1)
        if text[i - 1] not in ".,;:":
            out.append((i, i + 1, False))
            out.sort()
    return out


def _abbreviated_name(words: list[str]) -> bool:
    """"Am. J. Physiol. Heart Circ.", "IEEE Trans. Pattern Anal. Mach.", "Public J.": capitalised words, at least
    half of them cut short with a period (or a short acronym), the last one too: the front of a journal's
    abbreviated name, which may hold full words ("Heart", "Pattern") that the looser rule above refuses. It opens
    with an abbreviation, or is two words closed by a short one."""
    content = [w for w in words if w.lower() not in _STOPWORDS]
    if not content or len(content) > 8 or not words[-1].endswith(".") or \
            not all(w[:1].isupper() for w in content) or words[-1][:-1].lower() in _ROMAN:
        return False
    # (an initial, "J.", "K-H", or a part's number, "II.", is not counted: "C. J. O. Baker and K-H Cheung." is names)
    short = [((w.endswith(".") and 3 <= len(w) <= 11 and w[:-1].isalpha()) or w in ("J", "J.") or
              (w.isupper() and w.isalpha() and 2 <= len(w) <= 6)) and w.rstrip(".").lower() not in _ROMAN
             for w in content]  # ("J." is the journal's own abbreviation)
    if len(words) == 2 and len(words[-1]) <= 3:
        return True  # "Public J."
    # it opens with an abbreviation ("An Italian Cross-Sectional Study. Environ." is a subtitle, then a journal)
    return short[0] and 2 * sum(short) >= len(content) and \
        any(w.endswith(".") and w[:-1].isalpha() and len(w) >= 4 for w in content)


def _continues_venue(chunk: str, then: str) -> bool:
    """'J. Biol.', 'Proc. Natl. Acad.' (a journal abbreviated with periods) or 'Oxford.', 'Malden (MA).'
    before a publisher (``then`` is what follows the chunk): part of the venue, not a sentence of the title."""
    words = chunk.split()
    if not words:
        return False
    if all(len(w) <= 4 or (w.endswith(".") and len(w) <= 11) or w.lower() in _STOPWORDS for w in words):
        return True
    if len(words) <= 4 and all(w[:1].isupper() for w in words) and words[-1].endswith(".") and \
            4 <= len(words[-1]) <= 7 and words[-1][:-1].lower() not in _ROMAN:
        return True  # "Community Dent." before "Health": a journal name abbreviated word by word
    if _abbreviated_name(words):
        return True
    if len(words) <= 4 and _PUBLISHER_WORDS.match(chunk) and all(w[:1].isupper() for w in words):
        return True  # "Springer Heidelberg Dordrecht." before "London, New York": a publisher, then its places
    if _EDITORS_IN.fullmatch(chunk):
        return True  # "Cristopher Helm, editor." between a book's title and its publisher
    return len(words) <= 3 and all(w[:1].isupper() or w[:1] == "(" for w in words) and \
        bool(_PUBLISHER_WORDS.search(then))


def _split_title(middle: str, located: bool) -> tuple[str, str]:
    """Split 'Title. Container' into its two parts (the container may be empty).

    The container starts after the last sentence end that is followed by a venue-like name, so a
    capitalised subtitle ("Sulfonolipids of gliding bacteria. Structure of the N-acylaminosulfonates. J
    Biol Chem") stays in the title; periods of an abbreviated journal name ("J. Biol. Chem.") do not move
    the split. With no venue-like name, the last sentence end splits only when a volume or pages follow
    (a container must precede them); otherwise everything is title.
    """
    middle = middle.strip(" ,;:")
    bounds = _boundaries(middle)
    near_end = len(middle) - _MAX_VENUE  # a venue is short, so only sentence ends near the end can start one
    venue_at = [k for k, (_, start, _) in enumerate(bounds)
                 if (start >= near_end and _venue_like(middle[start:])) or _IN_CONTAINER.match(middle, start)]
    if venue_at:
        k = venue_at[0]
        for k2 in venue_at[1:]:
            if _IN_CONTAINER.match(middle, bounds[k][1]):
                break  # "In: Editors, Book. Publisher": the chapter's container starts here
            if not _continues_venue(middle[bounds[k][1]:bounds[k2][0] + 1], middle[bounds[k2][1]:]):
                k = k2
        end, start, _ = bounds[k]
        return middle[:end], middle[start:]
    strong = [b for b in bounds if not b[2]]
    if strong and (located or _PUBLISHER_WORDS.search(middle, strong[-1][1]) or
                   _PUBLISHER_LOWER.search(middle, strong[-1][1])):
        end, start, _ = strong[-1]
        return middle[:end], middle[start:]
    if bounds or (not located and middle.count(", ") > 2):
        return middle, ""
    colon = middle.rfind(": ")
    if colon > 0 and len(middle) - colon < 60 and _PUBLISHER_WORDS.search(middle, colon):
        return middle[:colon], middle[colon + 2:]  # "Fundamentals of Forensic DNA Typing: Academic Press"
    # no sentence end: "Title, Journal" (APA variants, news items); prefer a tail that names a journal
    tails = []
    pos = middle.rfind(", ")
    while pos != -1 and len(tails) < 4:
        tail = middle[pos + 2:].strip(" .,")
        if tail and len(tail.split()) <= 10 and _venue_like(tail) and \
                any(len(w) >= 3 for w in _NAME_WORDS.findall(tail)) and not _NOT_A_VENUE_START.match(tail):
            tails.append((pos, tail))
        pos = middle.rfind(", ", 0, pos)
    if tails:
        named = [t for t in tails if _VENUE_WORDS.search(t[1])]
        pos, tail = named[-1] if named else tails[0]
        return middle[:pos], tail
    return middle, ""


def _quoted_title(rest: str) -> tuple[str, str] | None:
    """'"Title," Journal' / '"Title". 03/06/2022' -> (title, what follows). A quote that opens the title
    but closes mid-sentence ('"Clicked" sugar-curcumin conjugate') is part of the title, not around it."""
    if not rest or rest[0] not in "\"\u2018'":
        return None
    opener = rest[0]
    closer = {"\u2018": "\u2019", '"': '"'}.get(opener, "'")
    end = rest.find(closer, 1)
    while closer != '"' and end != -1 and end + 1 < len(rest) and rest[end + 1].isalpha():
        end = rest.find(closer, end + 1)  # an apostrophe ("Pakistan’s"), not the closing quote
    if end == -1:
        return None
    after = rest[end + 1:end + 3]
    if after and after[0] not in ".,;:" and rest[end - 1] not in ".,;?!" and not after.startswith(" ("):
        return None
    if after.startswith(":"):
        return None  # '"Western blotting": electrophoretic transfer ...'
    return rest[1:end].strip(" ,.;"), rest[end + 1:]


def _bmc_split(middle: str) -> tuple[str, str]:
    """BMC without punctuation: 'Title words Nat Rev Microbiol' -> title, journal (the capitalised tail)."""
    toks = middle.split()
    i = len(toks)
    while i > 1:
        t = toks[i - 1]
        if t[:1].isupper() or _LOWER_VENUE.match(t) or (t.lower() in ("of", "and", "&") and i < len(toks)):
            i -= 1
        else:
            break
    if i <= 1 or len(toks) - i > 8:
        return middle, ""
    return " ".join(toks[:i]), " ".join(toks[i:])


def _tidy(s: str) -> str:
    s = s.strip(" .,;:")
    if s.count('"') == 1:
        s = s.replace('"', "").strip(" .,;:")
    if len(s) > 1 and s[0] == '"' and s[-1] == '"':
        s = s[1:-1].strip(" .,;:")
    return s


# --------------------------------------------------------------------------------------------- main

_HEAD_CANDIDATES = re.compile(r"[.:] |, ?(?=\")| (?=\")")
_BMC_NAMES = re.compile(
    rf"(?:(?:(?:{'|'.join(sorted(_PARTICLES))})\s)*[{_UP}][^\W\d_]*(?:[{_HYPHENS}'\u2019][^\W\d_]+)*"
    rf"(?:\s[{_UP}][a-z][^\W\d_]*)?\s[{_UP}]{{1,3}}(?:-[{_UP}])?(?=\s|$)\s?)")
_SINGLE_INITIAL_END = re.compile(rf"(?:^|\s|\.[{_HYPHENS}])[{_UP}]$")  # "E", "J.-P" (not "König H-H")
_ABBREVIATION_END = re.compile(rf"[\s.][{_UP}]$")  # "The U.S"
_WORD_THEN_INITIAL_END = re.compile(
    rf"(?<![^\W\d_-])(?!and\s)(?:[^\W\d_]{{2,}}|[^\W\d_]+-[^\W\d_]+)['\u2019]?\s[{_UP}]$")
# a Vancouver list, initials in capitals without periods ("Deshpande V, Jadhav VM, Kadam V J"): its last initial
# standing alone before a period closes the list (a given-first "E. Braunwald" prints periods after initials)
_UNDOTTED_SURNAME_INITIALS = re.compile(rf"[^\W\d_]{{2,}} [{_UP}]{{1,3}},")
# "Hites, R. A" / "Boas, M., Main, K. M" / "Lepom, P": a surname that opens its piece, a comma, its initials
# (family-first: Nature, ACS, APA). Not "R. J. Law, M" (given-first: the initial opens the next name).
_FAMILY_FIRST_END = re.compile(
    rf"(?:^|[,;&] |\band )(?:[{_UP}][a-z]+ )?(?:(?:[a-z]{{1,4}}|[{_UP}][a-z]{{1,2}}) ){{0,3}}[{_UP}][^\W\d_'\u2019-]*"
    rf"(?:[-'\u2019][^\W\d_]+)*,\s(?:[{_UP}]\.[\s{_HYPHENS}]?){{0,3}}[{_UP}]$")


# The fields the trained labeller reads better than the rules (tests/benchmarks/bench_references.py
# --stylebench measures both per field; docs/citation-styles.md has the figures). The others stay with rules.
MODEL_FIELDS = frozenset({"container", "volume"})
ALL_MODEL_FIELDS = frozenset({"author", "year", "title", "container", "volume", "issue", "page"})


def parse_reference(raw: str, model_fields: frozenset[str] | None = None) -> Reference:
    """Parse one printed reference entry into a Reference (no id, no span). Never raises on odd input.

    Rules take the label and the identifiers out; then the rules and the trained labeller both read the
    rest, and each field comes from the one that reads it better (``MODEL_FIELDS``; ``model_fields``
    overrides it, ``frozenset()`` for rules alone). Without a usable model file the rules read everything.
    """
    out = Reference(id="", raw=raw)
    text = _clean(raw or "")
    out.citation_number, text = _take_label(text)
    text = _take_identifiers(text, out)
    same = _SAME_AUTHORS.match(text)
    if same:  # "——, Title ...": the entry above's authors (``repeats_authors``), set by the caller
        text = text[same.end():]
    if not text:
        out.type = "webpage" if out.URL else "document"
        return out
    _parse_by_rules(text, out)
    fields = MODEL_FIELDS if model_fields is None else model_fields
    if fields:
        labeller = default_labeller()
        if labeller is not None:
            words = text.split()  # the labeller's tokens (labeller.tokens), without building them
            _take_from_model(_runs(words, labeller.label_words(words), text), text, out, fields)
    if same:
        out.author = []  # whatever the rules took for names, the names are the entry above's
    _trim_title(out)
    return out


# A dash rule, or three or more underscores, in place of the names: the same authors as the entry above
# (IEEEtran's "——,", Chicago's "———.", MLA's "---.")
_SAME_AUTHORS = re.compile(r"(?:[\u2014\u2015\u2013]{2,}|-{3,}|_{3,}|\u2014(?: \u2014)+)\s*[,.]?\s*")


def repeats_authors(raw: str) -> bool:
    """Does the entry print a rule for the names, meaning the authors of the entry above?"""
    return bool(_SAME_AUTHORS.match(_take_label(_clean(raw or ""))[1]))


def _parse_by_rules(text: str, out: Reference) -> None:
    if _comma_book(text, out):
        out.type = "book"
        return
    rest, year_known = _authors_and_year(text, out)
    # "D. Locker and S. T. Reisine, Phys. Rev. Lett. 97, ...": a comma closed the names, and APS, RSC and
    # ACS may print the journal right there, with no title
    no_title_style = not year_known and text.endswith(", " + rest) and bool(out.author)
    _title_and_venue(rest, out, year_known, no_title_style)
    preprint = _PREPRINT_VENUE.search(out.title)
    if preprint:  # "Title. arXiv 2014, arXiv:abs/1409.4842", "Title. CoRR abs/1412.3555": the server is the venue
        out.title = out.title[:preprint.start()]
        out.container_title = out.container_title or preprint.group(1)
    out.type = _type_of(out, text)


_COMMA_IN = re.compile(r",\s+[Ii]n:\s")


def _trim_title(out: Reference) -> None:
    """A title read on into what follows it in a comma-separated entry (elsarticle-num, Vancouver with
    commas): the journal the rules also read as the venue ("Megakaryocytopoiesis in mice, Proceedings of the
    National Academy of Sciences ... 106 (2009)"), or a chapter's book after "in:" ("Arctic vascular
    plants, in: F. S. Chapin (Ed.), Arctic Ecosystems ...")."""
    venue = out.container_title
    # (only a venue the entry prints with its volume after it: "... America 106 (2009) 1–5"; a title's own
    # last words, which the rules may have taken for the venue, stay)
    if venue and len(out.title) > len(venue) + 10 and out.title.endswith(", " + venue) and \
            re.search(re.escape(venue) + r",? \d", out.raw or ""):
        out.title = out.title[:-len(venue) - 2].rstrip(" ,")
    cut = _COMMA_IN.search(out.title)
    if cut and cut.start() > 10:
        out.title = out.title[:cut.start()]


_PREPRINT_VENUE = re.compile(r"(?<=\w)[.?!]\s+(arXiv|CoRR|bioRxiv|medRxiv|SSRN)\b(?![-\w]).*$")


_MODEL_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)([a-z])?(?![\d])")
_DIGITS = re.compile(r"[A-Za-z]?\d+[A-Za-z]?")


def _runs(words: list[str], labels: list[str], text: str) -> dict[str, list[tuple[int, int]]]:
    """label -> its runs of consecutive words (``text.split()``, as labelled) as (start, end) spans of ``text``,
    in order."""
    runs: dict[str, list[tuple[int, int]]] = {}
    prev = None
    end = 0
    for word, label in zip(words, labels):
        start = text.find(word, end)  # only white space lies between the last word's end and this word
        end = start + len(word)
        if label == prev:
            runs[label][-1] = (runs[label][-1][0], end)
        else:
            runs.setdefault(label, []).append((start, end))
        prev = label
    return runs


def _before_title(span: tuple[int, int], text: str, out: Reference) -> bool:
    """Does a span the labeller read end before the title the rules read (so inside the names: "L. W. t. Brinke")?"""
    at = text.find(out.title) if len(out.title) > 3 else -1
    return at > 0 and span[1] <= at


def _take_from_model(runs: dict[str, list[tuple[int, int]]], text: str, out: Reference,
                     fields: frozenset[str]) -> None:
    """Set ``fields`` of ``out`` from the labeller's reading (``_runs``), where it read one (else the rules' stay)."""
    if "author" in fields:
        first = runs.get("author", [None])[0]
        # the model says where the names end, the name rules split them into persons; an organisation the
        # rules recognised by its words ("World Health Organization and UNICEF") stays theirs
        organisation = bool(out.author) and bool(out.author[0].literal)
        if first and first[0] == 0 and not organisation:
            authors = _parse_authors(text[:first[1]])
            if authors.ok and authors.names:
                out.author = authors.names
    if "year" in fields and "year" in runs:
        a, b = runs["year"][0]
        m = _MODEL_YEAR.search(text, a, b)
        if m:
            year = int(m.group(1))
            if out.issued[:1] != [year]:  # the rules' month and day stay when they read the same year
                out.issued = [year]
            out.year_suffix = m.group(2) or ""
    if "title" in fields:
        title = runs.get("title")
        out.title = _tidy(text[title[0][0]:title[0][1]]) if title else ""
    if "container" in fields and "container" in runs and not _before_title(runs["container"][0], text, out):
        a, b = runs["container"][0]
        container = _tidy(text[a:b])
        low = container.lower()
        if low.startswith("in: ") or low.startswith("in "):
            container = container[3:].lstrip(" :")
        # the model cut the front off the name the rules read whole ("Proc. IEEE Conf. | Computer Vision",
        # "J. Mater. | Chem. A"): the rules' reading stands
        if not (out.container_title.endswith(container) and len(out.container_title) > len(container)):
            out.container_title = container
    for label, name in (("volume", "volume"), ("issue", "issue"), ("pages", "page")):
        if name in fields and label in runs:
            a, b = runs[label][0]
            value = text[a:b].strip(" .,;:()[]")
            if name != "page":
                m = _DIGITS.search(value)
                value = m.group() if m else value
            setattr(out, name, value)


def _authors_and_year(text: str, out: Reference) -> tuple[str, bool]:
    """Set author, issued, year_suffix; return what follows them, and whether the year came right after
    the names (when not, the caller looks for it later in the entry)."""
    # 1. a year right after the names: "Surname, I. (2023).", "Surname AB. 2012.", "Surname AB (2012)"
    anchors = []
    m = _PAREN_YEAR.search(text, 0, 4000)
    if m:
        anchors.append(m)
    for m in _DOT_YEAR.finditer(text, 0, 4000):
        if m.start() == 0 or text[m.start() - 1] == " ":
            anchors.append(m)
            break
    m = _BARE_YEAR.search(text, 0, 400)
    if m:  # "Albert DM, Bowyer RT 1991 Factors related to ...": no punctuation around the year
        anchors.append(m)
    if "n.d" in text or "N.D" in text or "n. d" in text:
        m = _BARE_ND.search(text, 0, 4000)
        if m and (m.start() == 0 or text[m.start() - 1] == " "):
            anchors.append(m)
    for m in sorted(anchors, key=lambda a: a.start()):
        authors = _parse_authors(text[:m.start()])
        if not authors.ok and m.start() > 0:
            continue
        out.author = authors.names
        _set_year(m, out)
        return text[m.end():].lstrip(" .,;:)"), True
    # 2. names first, year later (Vancouver, IEEE, BMC, news without a year after the names)
    end = _given_first_list_end(text) if _STARTS_WITH_INITIAL.match(text) else None
    end = end or _names_end(text)
    if end is not None:
        out.author, rest_start = end
        return text[rest_start:], False
    names = []
    pos = 0
    m = _BMC_NAMES.match(text)
    while m and len(names) < 500:
        toks = m.group().split()
        names.append(Name(family=" ".join(toks[:-1]), given=_initials(toks[-1:], "C")))
        pos = m.end()
        m = _BMC_NAMES.match(text, pos)
    out.author = names
    return text[pos:], False


_STARTS_WITH_INITIAL = re.compile(rf"[{_UP}]\.\s?(?:[{_UP}]\.\s?)*[{_UP}]")
# one given-first name as Elsevier and IEEE print it: "M.M. Ghafurian", "J.-P. Dupont", "A. W. De Tomaso"
# (a last initial may have lost its period: RSC's "S. V Joshi")
_GIVEN_FIRST_NAME = re.compile(
    rf"(?:and |& )?(?:[{_UP}][a-z]?\.[\s{_HYPHENS}]?){{1,4}}(?:[{_UP}] )?(?:(?:[a-z]{{1,4}}|De|Di|Da|Du|Van|Von|Le|La|Del) ){{0,2}}"
    rf"[{_UP}](?:['\u2019](?=[{_UP}]))?[^\W\d_'\u2019-]+(?:[-'\u2019][^\W\d_]+)*(?: [{_UP}][^\W\d_'\u2019-]+)?")


_AND_SPLIT = re.compile(r" (?=and |& )")
_ET_AL_CLOSING = re.compile(r"(?:^|,? )et al\.?$")
_ET_AL_AFTER = re.compile(r"et\.? al\.?,?\s")


def _given_first_list_end(text: str) -> tuple[list[Name], int] | None:
    """"S. Sanaye, M.M. Ghafurian, Thermo-economic optimization ...": a comma-separated list of
    given-first names, then the title after a comma (Elsevier numeric, IEEE). The list ends at the first
    comma-separated part that is not one name; a period after the last name may close it instead
    ("A. Sofrata, F. Brito, A. Gustafsson. Short term clinical effect ...")."""
    pos, names = 0, []
    names_end, and_seen = 0, False
    while pos < min(len(text), 3000):
        comma = text.find(", ", pos)
        part_end = comma if comma >= 0 else len(text)
        part = text[pos:part_end]
        # "D. Locker and S. T. Reisine": two names in one part
        et_al = _ET_AL_CLOSING.search(part)
        if et_al and et_al.start() == 0 and names:  # "..., S. Agarwala, et al., Title": "et al." a part of its own
            pos = part_end + 2
            break
        if not all(_GIVEN_FIRST_NAME.fullmatch(_without_marks(name))
                   for name in _AND_SPLIT.split(part[:et_al.start()] if et_al else part)):
            closed_by_and = _closing_name(part)
            if closed_by_and is not None:  # "..., and A. van Oudenaarden. Stochastic switching ...": the list ends there
                authors = _parse_authors(text[:pos + closed_by_and])
                if authors.ok and authors.names:
                    return authors.names, pos + closed_by_and + 2
            # (not after a list closed by "and", nor before an abbreviation: "G. D. Slade, J. Mater. Chem. A")
            closed = _GIVEN_FIRST_NAME.match(part) if names and not and_seen else None
            after = part[closed.end() + 2:].split(" ", 1)[0] if closed else ""
            if closed and part.startswith(". ", closed.end()) and after[:1].isupper() and not after.endswith("."):
                names.append(pos)
                names_end, pos = pos + closed.end(), pos + closed.end() + 2
            break
        names.append(pos)
        names_end, pos = part_end, part_end + 2
        and_seen = and_seen or " and " in part or "& " in part
        if comma < 0:
            return None
        if et_al:  # "H. Dieng, S. Rajasaygar, A. H. Ahmad et al., Title": the list ends here
            break
    if len(names) < 1 or pos >= len(text) or text[pos:pos + 1] in "\"\u201c":
        return None  # IEEE quotes the title: the usual path reads it
    authors = _parse_authors(text[:names_end])
    if not authors.ok or not authors.names:
        return None
    return authors.names, pos


def _closing_name(part: str) -> int | None:
    """Where the last name of a given-first list ends with a full stop, the title after it: natbib's
    plainnat, ACL, ACM and NeurIPS print "M. Acar, J. T. Mettetal, and A. van Oudenaarden. Title. Journal,
    40:471–475, 2008." (the comma-separated parts then run on into the title). The index of the stop in
    ``part``, or None."""
    for stop in re.finditer(r"\.(?= )", part):
        head = part[:stop.start()]
        names = _AND_SPLIT.split(head)
        if len(head) > 200:
            break
        # the last name comes after "and" (else "J. Mater. Chem. A" after the names would pass for one)
        if (head.startswith(("and ", "& ")) or len(names) > 1) and \
                all(_GIVEN_FIRST_NAME.fullmatch(_without_marks(name)) for name in names):
            return stop.start()
    return None


def _names_end(text: str) -> tuple[list[Name], int] | None:
    """The name list that starts the entry, and where the rest of the entry starts."""
    for tried, m in enumerate(_HEAD_CANDIDATES.finditer(text, 0, 3000)):
        if tried > 60:
            break
        seg = text[:m.start()]
        if text[m.start()] == ".":
            nxt = text[m.end():m.end() + 12].split(" ", 1)[0]
            family_first = _FAMILY_FIRST_END.search(seg, max(0, len(seg) - 60)) is not None
            if _INIT_DOTTED.match(nxt.rstrip(",;")) or nxt.lower() in ("and", "&") or nxt[:1] in "-\u2010":
                continue  # "Smith, J. A. Title": the period belongs to an initial
            # "E. coli", "vs. the": the sentence goes on; after a closed "Huber, W." only a particle would
            # ("Huber, W. arrayQualityMetrics–a package" starts the title)
            if nxt[:1].islower() and nxt.lower() != "et" and (not family_first or nxt.lower() in _PARTICLES):
                continue
            if _SINGLE_INITIAL_END.search(seg, max(0, len(seg) - 3)) and not seg.endswith(" et al") and \
                    not _WORD_THEN_INITIAL_END.search(seg, max(0, len(seg) - 40)) and not family_first and \
                    not ("." not in seg and _UNDOTTED_SURNAME_INITIALS.search(seg)):
                continue  # a single initial, as in "E. Braunwald": the name goes on
        if seg.endswith(" et") or seg == "et":
            continue
        if seg.startswith("The ") and _ABBREVIATION_END.search(seg, max(0, len(seg) - 2)):
            continue  # "The U.S. Surgeon General's Advisory.": the body's name goes on after "U.S."
        authors = _parse_authors(seg)
        if authors.ok and authors.names:
            et_al = _ET_AL_AFTER.match(text, m.end())  # "Cai, W. et al. Title" (Nature)
            return authors.names, et_al.end() if et_al else m.end()
    return None


def _set_year(m: re.Match, out: Reference) -> None:
    gd = m.groupdict()
    year = gd.get("year") or gd.get("year2")
    if year:
        out.issued = _date_parts(int(year), gd.get("rest") or "")
        out.year_suffix = (gd.get("suffix") or gd.get("suffix2") or "").lower()


def _title_and_venue(rest: str, out: Reference, year_known: bool, no_title_style: bool = False) -> None:
    rest = rest.lstrip(" .,;:)").rstrip(" .,;:")
    if "/" in rest:
        # dates of news items ("03/06/2022") are neither title nor container; their year may be the only one
        dates = list(_DATE_NUMERIC.finditer(rest))
        if dates:
            if not year_known and not out.issued:
                out.issued = [int(dates[-1].group()[-4:])] if dates[-1].group()[-4:].isdigit() else []
            rest = _squash(_DATE_NUMERIC.sub(" ", rest)).strip(" .,;:")
    quoted = _quoted_title(rest)
    if quoted:
        out.title = _tidy(quoted[0])
        rest = quoted[1].strip(" .,;:")
    in_press = False
    if rest.endswith(("press", "Press", "press.", "Press.", "press)", "Press)")) and _IN_PRESS.search(rest):
        rest, in_press = rest[:_IN_PRESS.search(rest).start()], True
    elif rest.endswith(("review", "Review", "mitted", "ccepted", "rthcoming")) and _UNPUBLISHED.search(rest):
        rest, in_press = rest[:_UNPUBLISHED.search(rest).start()], True
    if rest.endswith(("p", "p.")) and _PAGE_COUNT.search(rest):
        rest = rest[:_PAGE_COUNT.search(rest).start()]
    year_end = _END_PAREN_YEAR.search(rest, max(0, len(rest) - 40))
    if year_end:  # Nature: "Journal 38, 945-956 (2004)": the year closes the entry, after the location
        if not year_known and not out.issued:
            out.issued = [int(year_end.group("year"))]
            out.year_suffix = year_end.group("suffix") or ""
        rest = rest[:year_end.start()].rstrip(" .,;:")
    loc = _find_location(rest)
    if loc:
        out.volume, out.issue, out.page = loc.volume, loc.issue, loc.page
        middle, trailer = rest[:loc.start], rest[loc.end:]
    else:
        middle, trailer = rest, ""
    if not year_known and not out.issued:
        if loc and loc.year:
            out.issued = [int(loc.year)]
            out.year_suffix = loc.suffix
        else:
            # not from the pages ("Environ Sci Technol 2004, 38, 1504-1512"): the location is left out
            _year_late(rest[:loc.start] + " " + rest[loc.end:] if loc else rest, out)
            if not out.issued:
                _year_late(rest, out)
    if not year_known:
        middle = _drop_trailing_year(middle)
    if loc and loc.year and middle[-1:].isdigit() or middle.endswith(","):
        middle = _TRAILING_MONTH_DAY.sub("", middle)  # AMA: "Infect Dis Poverty. May 16, 2023;12(1):51"
    middle = middle.strip(" .,;:")
    if middle.endswith((" pp", " p", " pages", "(pp", "(p")):  # "Proc. 60th GCFI. pp. pp. 335-337"
        middle = middle.rsplit(" ", 1)[0].rstrip(" .,;:(") if " " in middle else middle
    book = _SEMICOLON_PUBLISHER.search(middle) if "; " in middle and ": " in middle else None
    if book and not quoted:  # MDPI's books: "Title, 3rd ed.; Publisher: City, Country"
        out.publisher, out.publisher_place = book.group("pub").strip(), book.group("place").strip(" ,")
        middle = middle[:book.start()].strip(" .,;:")
        if not _IN_BOOK.search(middle) and ", " in book.group("place"):  # (MDPI: "City, Country")
            # a whole book: its title runs to the first semicolon, whatever its sentences and commas ("Living in
            # Denial: Climate Change, Emotions, and Everyday Life"); edition, series or editors follow it
            title = middle.split("; ", 1)[0]
            out.title = _tidy(_EDITION.sub("", title) if " ed" in title or " Ed" in title else title)
            _publisher_from(trailer, out)
            return
    if quoted:
        venue = middle
    elif loc and loc.bmc:
        title, venue = _bmc_split(middle)  # BMC: no punctuation between title and journal
        out.title = _tidy(title)
    else:
        located = loc is not None or in_press or (not year_known and bool(out.issued) and middle != rest)
        if no_title_style and located and _ABBREVIATED_JOURNAL.fullmatch(middle):
            title, venue = "", middle  # the journal alone: "Phys. Rev. Lett.", "J. Mater. Chem. A", "Nature"
        else:
            if " ed" in middle or " Ed" in middle:  # ("Title. 2nd ed. Editors, editors." keeps one period)
                middle = _DOUBLE_PERIOD.sub(".", _EDITION.sub(".", middle))
            title, venue = _split_title(middle, located)
        if title.endswith("]") and "[" in title:
            title = _THESIS_NOTE.sub("", title)  # "... sample. [Master's thesis, University of Turku]" (APA 7)
        out.title = _tidy(title)
    _set_venue(_tidy(venue), out)
    _publisher_from(trailer, out)


# Hindawi's books, every field closed by a comma: "A. F. Kdonieus, Title: Methods, Theory and Applications, vol. 1 & 2,
# CRC Press, Boca Raton, Fla, USA, 4th edition, 1980." (or an organisation that is its own publisher: "UNODC,
# Global Illicit Drug Trends: 2003, UNODC, New York, NY, USA, 2003.")
_BOOK_YEAR_PART = re.compile(rf"(?P<year>{_Y})(?P<suffix>[a-z])?\.?")
_BOOK_EDITION_PART = re.compile(r"(?:\d{1,2}(?:st|nd|rd|th)|[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|[Ff]ifth|[Rr]evised)"
                                r" (?:edition|ed\.?)")
_BOOK_PLACE_PART = re.compile(rf"[{_UP}][^\W\d_]*\.?(?: [{_UP}][^\W\d_]*\.?){{0,3}}")  # "Carol Stream", "IL", "USA"
_BOOK_VOLUME_PART = re.compile(r"(?:[Vv]ols?\.|[Vv]olume) ?\d{1,4}(?: ?(?:&|and|-|\u2013) ?\d{1,4})?")


def _comma_book(text: str, out: Reference) -> bool:
    """Read a comma-only book entry from its end (year, edition, place, publisher, volume; the title is what
    is left after the names); False, and nothing set, when the entry does not end that way."""
    if "\u201c" in text or '"' in text or text.count(", ") < 4:
        return False
    parts = text.rstrip(" .").split(", ")
    year = _BOOK_YEAR_PART.fullmatch(parts[-1])
    if not year:
        return False
    k = len(parts) - 1
    if _BOOK_EDITION_PART.fullmatch(parts[k - 1]):
        k -= 1
    place_end = k
    while k > 3 and place_end - k < 4 and _BOOK_PLACE_PART.fullmatch(parts[k - 1]) and not _is_publisher(parts[k - 1]):
        k -= 1
    publisher, place = parts[k - 1], ", ".join(parts[k:place_end])
    if not place or not (_is_publisher(publisher) or publisher == parts[0]):
        return False
    k -= 1
    if _BOOK_VOLUME_PART.fullmatch(parts[k - 1]):
        k -= 1
    if publisher == parts[0] and (_is_corporate(publisher.split(), publisher) or publisher.isupper()):
        authors, title_start = [Name(literal=publisher)], 1  # an organisation that publishes its own book
    else:
        names_end = _given_first_list_end(text)
        if not names_end:
            return False
        authors = names_end[0]
        title_start = len(parts) - len(text[names_end[1]:].rstrip(" .").split(", "))
    title = ", ".join(parts[title_start:k])
    if title_start < 1 or not title or not authors:
        return False
    out.author, out.title, out.publisher, out.publisher_place = authors, _tidy(title), publisher, place
    _set_year(year, out)
    return True


def _is_publisher(part: str) -> bool:
    return bool(_PUBLISHER_WORDS.search(part)) or _has_corporate_word(part.split()) or part.endswith((" Co", " Inc"))


# "; Publisher: City, Country" closing a book, the place maybe a list ("Berlin, Germany; Boston, MA, USA")
_SEMICOLON_PUBLISHER = re.compile(r"; (?P<pub>[^;:.\"]{2,100}?): (?P<place>[A-Z][^;:\"]{1,60}(?:; [A-Z][^;:\"]{1,60})?)"
                                  r"(?:; [^;:.\"]{2,100}?: [A-Z][^;:\"]{1,60})*$")  # (a second publisher may follow)
# a chapter's or proceedings' container inside such a book entry ("Title. In Book Title; Editor, A., Ed.; ...")
_IN_BOOK = re.compile(r"(?:^|[.?!] )In:? [A-Z\d]")


def _year_late(text: str, out: Reference) -> None:
    """The year when it is not printed after the names: the last year-like number in the entry."""
    last = paged = None
    for m in _ANY_YEAR.finditer(text):
        # a page range ("pp. 1723-29", "1519-1528") holds year-like numbers too; a year stands alone
        if text[m.end():m.end() + 1] in ("-", "\u2013", "\u2010") or text[m.start() - 1:m.start()] in ("-", "\u2013") \
                or text[max(0, m.start() - 3):m.start()].endswith(("p. ", "p.")):
            paged = m
        else:
            last = m
    last = last or paged
    if last:
        out.issued = [int(last.group())]
        after = text[last.end():last.end() + 2]
        if after[:1].isalpha() and after[:1].islower() and not after[1:2].isalpha():
            out.year_suffix = after[0]


def _drop_trailing_year(s: str) -> str:
    """'Princeton University Press; 2014' -> 'Princeton University Press'; ', Oct. 1997' likewise."""
    s = s.strip()
    m = _TRAILING_YEAR.search(s, max(0, len(s) - 30))
    return s[:m.start()] if m else s


def _set_venue(venue: str, out: Reference) -> None:
    """Put the text after the title where it belongs: container (journal, book, proceedings) or publisher."""
    venue = venue.strip(" .,;:")
    if not venue:
        return
    m = _IN_CONTAINER.match(venue)
    if m and len(venue) > m.end() and venue[m.end()].isupper():
        venue = venue[m.end():]
        ed = _EDITORS_IN.match(venue)
        if ed and ed.end() < len(venue):
            venue = venue[ed.end():]
        # "Book Title. Place: Publisher" / "Proc. IEEE Conf. Computer Vision, 2019"
        book, tail = venue, ""
        for m in _SENTENCE_GAP.finditer(venue):
            if _PLACE_PUBLISHER.match(venue, m.end()) or _PUBLISHER_WORDS.search(venue, m.end()):
                book, tail = venue[:m.start()], venue[m.end():]
                break
        out.container_title = _drop_trailing_year(book).strip(" .,(")
        out.type = "paper-conference" if _CONFERENCE.search(out.container_title) else "chapter"
        _publisher_from(tail, out)
        return
    journal = bool(out.volume or out.page or _JOURNAL_WORDS.search(venue))
    if not journal and " edit" in venue:
        ed = _EDITORS_IN.match(venue)
        if ed and ed.end() < len(venue):
            venue = venue[ed.end():]  # "Cristopher Helm, editor. London: Cornell University Press": editors, then the book's publisher
    if not journal:
        pp = _PLACE_PUBLISHER.match(venue)
        if pp and len(pp.group("place").split()) <= 5 and not any(c.isdigit() for c in pp.group("place")):
            out.publisher_place = pp.group("place").strip(" ,")
            out.publisher = pp.group("pub").strip(" .,;")
            return
        if _PUBLISHER_WORDS.search(venue):
            head, sep, tail = venue.rpartition(". ")
            if sep and _PUBLISHER_WORDS.search(tail):
                out.container_title = head.strip(" .,")
                out.publisher = tail.strip(" .,")
            else:
                out.publisher = venue
            return
    out.container_title = venue.rstrip(" (")


def _publisher_from(trailer: str, out: Reference) -> None:
    """'Place: Publisher' after the location (books and chapters in eLife rendering)."""
    trailer = trailer.strip(" .,;:")
    if not trailer or out.publisher:
        return
    pp = _PLACE_PUBLISHER.match(trailer)
    if pp and len(pp.group("place").split()) <= 5 and not any(c.isdigit() for c in pp.group("place")):
        out.publisher_place = pp.group("place").strip(" ,")
        out.publisher = _drop_trailing_year(pp.group("pub")).strip(" .,;")


def _type_of(out: Reference, text: str) -> str:
    if out.type in ("chapter", "paper-conference"):
        return out.type
    if out.container_title and _CONFERENCE.search(out.container_title):
        return "paper-conference"
    if out.container_title and (out.volume or out.page):
        return "article-journal"
    if out.publisher and not out.container_title:
        return "book"
    if out.URL and (out.issued or "/" in text and _DATE_NUMERIC.search(text)):
        return "webpage"
    return "document"
