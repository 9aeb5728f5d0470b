"""Metadata of parsed PDFs against the publisher's JATS beside each (a dev tool, not a test).

    python tests/benchmarks/meta_eval.py [--dump DIR] [--verbose] [CORPUS]

CORPUS (default ``$LITREADER_SHARED/corpus/realpdf``) holds ``X.pdf`` beside ``X.xml``. Without ``--dump`` each
PDF is parsed here (``load_paper``); with it, ``DIR`` holds the parse JSON of each PDF as ``*-X.pdf.json`` or
``X.json`` (the dump tool's names). Per field it prints how many PDFs are right and, with ``--verbose``, every
miss. A field is right when:

- title: its words equal the JATS ``article-title``'s;
- authors: the family names, accents and case folded, equal the JATS surnames in order; first: the first one;
- year: one of the JATS ``pub-date`` years; published: the year of publication (a ``pub-date`` that is not a
  collection's); venue: a JATS journal title, or its abbreviation word by word;
- volume, issue: equal to the JATS's (when the JATS has one); doi: equal, case folded;
- keywords: (when the JATS has the authors' keywords) the same set, case and punctuation folded;
- abstract: when the JATS has one, 90% of its words found and 90% of ours in it; when it has none, ours is empty.
"""
from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

FIELDS = ("title", "authors", "first", "year", "published", "venue", "volume", "issue", "doi", "abstract", "keywords")
_STOP = {"of", "the", "and", "in", "for", "on", "&"}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = re.sub(r"[\u2010-\u2014]", "-", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def _text(el: ET.Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _families(group: ET.Element) -> list[str]:
    families = []
    for contrib in group.iterfind("contrib"):
        if contrib.get("contrib-type", "author") != "author":
            continue
        surname = contrib.find(".//surname")
        collab = contrib.find(".//collab")
        if surname is not None:
            families.append(_text(surname))
        elif collab is not None:
            families.append(_text(collab))
    return families


def truth(xml: Path) -> dict:
    root = ET.parse(xml).getroot()
    meta = root.find(".//article-meta")
    journal = root.find(".//journal-meta")
    families = []
    for group in meta.iterfind(".//contrib-group"):
        if group.get("content-type", "author") not in ("author", "authors"):
            continue  # (JMIR and MDPI name the editors in a contrib-group of their own)
        families += _families(group)
    venues = [_text(e) for e in journal.iter() if e.tag in ("journal-title", "abbrev-journal-title", "journal-id")]
    years = {int(y.text) for y in meta.iterfind("pub-date/year") if y.text and y.text.strip().isdigit()}
    published = {int(d.findtext("year")) for d in meta.iterfind("pub-date")  # (not a collection's year)
                 if (d.get("pub-type") or d.get("date-type")) in (None, "epub", "pub", "ppub")
                 and (d.findtext("year") or "").strip().isdigit()} or years
    keywords = [_text(k) for group in meta.iterfind("kwd-group") if group.get("kwd-group-type") in (None, "author")
                for k in group.iterfind("kwd")]
    abstracts = [a for a in meta.iterfind("abstract") if a.get("abstract-type") in (None, "structured")]
    return dict(title=_text(meta.find(".//article-title")), families=families, venues=venues, years=years, published=published,
                volume=(meta.findtext("volume") or "").strip(), issue=(meta.findtext("issue") or "").strip(),
                doi=(meta.findtext("article-id[@pub-id-type='doi']") or "").strip().lower(),
                abstract=_text(abstracts[0]) if abstracts else "", keywords=keywords)


def venue_ok(venue: str, venues: list[str]) -> bool:
    got = [w for w in words(venue) if w not in _STOP]
    if not got:
        return False
    for name in venues:
        want = [w for w in words(name) if w not in _STOP]
        if got == want or len(got) == len(want) and all(b.startswith(a) for a, b in zip(got, want)):
            return True
    return False


def judge(paper: dict, want: dict) -> dict[str, tuple[bool, str]]:
    """Each field: (right, what we have against what the JATS has)."""
    got_fam = [fold(a.get("family", "") or a.get("literal", "")) for a in paper.get("authors", [])]
    want_fam = [fold(f) for f in want["families"]]
    out = {
        "title": (words(paper.get("title", "")) == words(want["title"]),
                  f"{paper.get('title', '')[:90]!r} | {want['title'][:90]!r}"),
        "authors": (got_fam == want_fam, f"{got_fam[:10]} {len(got_fam)} | {want_fam[:10]} {len(want_fam)}"),
        "first": (bool(got_fam) and bool(want_fam) and got_fam[0] == want_fam[0],
                  f"{got_fam[:1]} | {want_fam[:1]}"),
        "year": (paper.get("year") in want["years"], f"{paper.get('year')} | {sorted(want['years'])}"),
        "published": (paper.get("year") in want["published"], f"{paper.get('year')} | {sorted(want['published'])}"),
        "venue": (venue_ok(paper.get("venue", ""), want["venues"]), f"{paper.get('venue')!r} | {want['venues'][:3]}"),
        "doi": ((paper.get("doi") or "").lower() == want["doi"], f"{paper.get('doi')!r} | {want['doi']!r}"),
    }
    for key in ("volume", "issue"):
        if want[key]:
            out[key] = (str(paper.get(key) or "") == want[key], f"{paper.get(key)!r} | {want[key]!r}")
    if want["keywords"]:
        got_kw = {" ".join(words(k)) for k in paper.get("keywords", [])}
        want_kw = {" ".join(words(k)) for k in want["keywords"]}
        out["keywords"] = (got_kw == want_kw, f"{sorted(got_kw)[:6]} | {sorted(want_kw)[:6]}")
    want_words, got_words = set(words(want["abstract"])), set(words(paper.get("abstract", "")))
    if want_words:
        recall = len(want_words & got_words) / len(want_words)
        precision = len(want_words & got_words) / len(got_words) if got_words else 0.0
        out["abstract"] = (recall >= 0.9 and precision >= 0.9, f"recall {recall:.2f} precision {precision:.2f} "
                           f"{len(got_words)} words {paper.get('abstract', '')[:80]!r}")
    else:
        out["abstract"] = (not got_words, f"none in the JATS; ours {paper.get('abstract', '')[:80]!r}")
    return out


def _parsed(pdf: Path, dump: Path | None) -> dict:
    if dump is not None:
        found = sorted(dump.glob(f"*-{pdf.name}.json")) or sorted(dump.glob(f"{pdf.stem}.json"))
        return json.loads(found[0].read_text()) if found else {}
    from reader.ingest import load_paper
    return load_paper(pdf).to_json()


def main(argv: list[str]) -> None:
    verbose = "--verbose" in argv
    dump = Path(argv[argv.index("--dump") + 1]) if "--dump" in argv else None
    positional = [a for i, a in enumerate(argv) if not a.startswith("--") and (i == 0 or argv[i - 1] != "--dump")]
    shared = Path(os.environ.get("LITREADER_SHARED", "/work/shared"))
    corpus = Path(positional[0]) if positional else shared / "corpus" / "realpdf"
    right = {f: 0 for f in FIELDS}
    counted = {f: 0 for f in FIELDS}
    for xml in sorted(corpus.glob("*.xml")):
        pdf = xml.with_suffix(".pdf")
        paper = _parsed(pdf, dump) if pdf.exists() else {}
        if not paper:
            continue
        misses = []
        for field, (ok, detail) in judge(paper, truth(xml)).items():
            counted[field] += 1
            right[field] += ok
            if not ok:
                misses.append(f"   {field:8} {detail}")
        if verbose and misses:
            print(xml.stem)
            print("\n".join(misses))
    print("  ".join(f"{f} {right[f]}/{counted[f]}" for f in FIELDS))


if __name__ == "__main__":
    main(sys.argv[1:])
