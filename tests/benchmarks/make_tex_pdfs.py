"""Typeset JATS articles with publishers' LaTeX classes, for `citeval.py --mode realpdf` (a developer tool).

Our real-PDF test set is almost all 3B2 / Word / InDesign output; much of what researchers open is LaTeX output
made with the publishers' own classes and BibTeX styles. This script takes JATS articles (truth: body text with
`<xref ref-type="bibr">` citations and a `<ref-list>`), writes each as a LaTeX document in several classes/styles,
compiles it (pdflatex, bibtex, pdflatex x2), and writes beside every PDF a copy of the JATS whose citation text
is what TeX printed ('[3]', '(Smith et al., 2019)', a superscript '3'), so that

    python ../shared/eval/citeval.py --mode realpdf --verbose \
        --cmd '.venv/bin/litreader parse {file} --json' OUT/STYLE

scores the reader on it. Layout: OUT/STYLE/<stem>.pdf beside OUT/STYLE/<stem>.xml (and <stem>.tex, .bib).

    LITREADER_SHARED=../shared python tests/benchmarks/make_tex_pdfs.py --out /tmp/texbench/set10 --n 10 \
        --seed 1 [--styles ieee,llncs] [--jobs 2] [--skip-existing]

Styles: ieee (IEEEtran journal, two columns, [1]), els-num (elsarticle 5p two columns, elsarticle-num [1]),
els-harv (elsarticle preprint, elsarticle-harv author-year), acm (acmart sigconf, ACM-Reference-Format [1]),
acm-ay (acmart natbib author-year '[Smith et al. 2019]'), revtex-aps (revtex4-2 prb reprint, [1], list without a
heading), revtex-aip (revtex4-2 jap reprint, superscript citations and entry labels), llncs (splncs04, one
column), natbib-2col (article two columns + natbib + plainnat). The JATS come from --jats (default
$LITREADER_SHARED/corpus/jats). A 10-article set of all nine styles takes a few minutes on two cores.

Needs TeX Live with the publisher classes (texlive-publishers, -latex-extra, -science, -bibtex-extra); CI has
none, so no test runs it (tests/benchmarks/test_make_tex_pdfs.py tests the pure JATS -> LaTeX/BibTeX part).
Deterministic for a given --n/--seed. Articles that fail to compile are skipped and counted.

What is made of the JATS: title, authors with affiliations (each class's own author macros), abstract,
sections/subsections, paragraphs, lists, figure captions (a figure with an empty framed box), simple tables
(`tabular` from the cells; too wide or too long tables are left out), footnotes cited in the text, back matter
(acknowledgements, appendices). Inline MathML becomes its text; characters pdflatex cannot set in the class's
font are mapped to LaTeX commands or dropped. Every citation group becomes one \\cite (\\citep / \\citet /
\\citealp in natbib author-year styles) and the bibliography is a .bib from each <ref>, set by the style's .bst
(with \\nocite{*}, so every entry is printed as the JATS lists them).
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import re
import shutil
import subprocess
import unicodedata
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

SHARED = Path(os.environ.get("LITREADER_SHARED") or Path(__file__).resolve().parents[3] / "shared")
DEFAULT_JATS = SHARED / "corpus" / "jats"


# ---------------------------------------------------------------- styles

@dataclass(frozen=True)
class Style:
    name: str
    preamble: str          # \documentclass and packages
    bst: str | None        # None: the class picks it (revtex)
    cite: str              # "numeric" | "super" | "author-year"
    natbib: bool           # \citep/\citet available
    front: str             # how the title block is written: ieee | els | acm | revtex | llncs | article
    floats_wide: bool = False   # two-column class: wide tables go in table*
    sorts_author_year: bool = False   # the class's natbib sorts an author-year group (acmart: by the list)


STYLES = {
    "ieee": Style("ieee", "\\documentclass[journal]{IEEEtran}\n\\usepackage{times}\n", "IEEEtran",
                  "numeric", False, "ieee", True),
    "els-num": Style("els-num", "\\documentclass[5p,twocolumn]{elsarticle}\n", "elsarticle-num",
                     "numeric", True, "els", True),
    "els-harv": Style("els-harv", "\\documentclass[preprint,12pt,authoryear]{elsarticle}\n", "elsarticle-harv",
                      "author-year", True, "els"),
    "acm": Style("acm", "\\documentclass[sigconf]{acmart}\n", "ACM-Reference-Format", "numeric", True, "acm", True),
    "acm-ay": Style("acm-ay", "\\documentclass[sigconf,natbib=true]{acmart}\n\\citestyle{acmauthoryear}\n",
                    "ACM-Reference-Format", "author-year", True, "acm", True, sorts_author_year=True),
    "revtex-aps": Style("revtex-aps", "\\documentclass[aps,prb,reprint]{revtex4-2}\n", None, "numeric", True,
                        "revtex", True),
    "revtex-aip": Style("revtex-aip", "\\documentclass[aip,jap,reprint]{revtex4-2}\n", None, "super", True,
                        "revtex", True),
    "llncs": Style("llncs", "\\documentclass{llncs}\n", "splncs04", "numeric", False, "llncs"),
    "natbib-2col": Style("natbib-2col", "\\documentclass[twocolumn,10pt]{article}\n"
                         "\\usepackage[margin=2cm]{geometry}\n\\usepackage[round]{natbib}\n",
                         "plainnat", "author-year", True, "article", True),
}

COMMON_PACKAGES = "\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb}\n"


# ---------------------------------------------------------------- characters

GREEK = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau " \
        "upsilon phi chi psi omega".split()
UNICODE_TEX: dict[str, str] = {}
for _i, _n in enumerate(GREEK):
    if _n != "omicron":
        UNICODE_TEX[chr(0x3B1 + _i + (1 if _i >= 17 else 0))] = f"\\ensuremath{{\\{_n}}}"
        _cap = _n.capitalize()
        if _cap in ("Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"):
            UNICODE_TEX[chr(0x391 + _i + (1 if _i >= 17 else 0))] = f"\\ensuremath{{\\{_cap}}}"
UNICODE_TEX.update({
    "\u03c2": "\\ensuremath{\\varsigma}", "\u00b5": "\\ensuremath{\\mu}", "\u03d5": "\\ensuremath{\\phi}",
    "\u2013": "--", "\u2014": "---", "\u2212": "\\ensuremath{-}", "\u2010": "-", "\u2011": "-",
    "\u2018": "`", "\u2019": "'", "\u201c": "``", "\u201d": "''", "\u2026": "\\ldots{}",
    "\u00b1": "\\ensuremath{\\pm}", "\u00d7": "\\ensuremath{\\times}", "\u2264": "\\ensuremath{\\leq}",
    "\u2265": "\\ensuremath{\\geq}", "\u00b0": "\\ensuremath{^\\circ}", "\u2192": "\\ensuremath{\\rightarrow}",
    "\u2190": "\\ensuremath{\\leftarrow}", "\u2194": "\\ensuremath{\\leftrightarrow}",
    "\u223c": "\\ensuremath{\\sim}", "\u2248": "\\ensuremath{\\approx}", "\u221e": "\\ensuremath{\\infty}",
    "\u2260": "\\ensuremath{\\neq}", "\u00b7": "\\ensuremath{\\cdot}", "\u22c5": "\\ensuremath{\\cdot}",
    "\u2032": "\\ensuremath{'}", "\u2033": "\\ensuremath{''}", "\u00a0": "~", "\u2009": "\\,", "\u202f": "\\,",
    "\u2002": " ", "\u2003": " ", "\u200a": "", "\u200b": "", "\u2022": "\\ensuremath{\\bullet}",
    "\u2217": "\\ensuremath{*}", "\u00ae": "(R)", "\u2122": "(TM)",
    "\u00a9": "\\textcopyright{}", "\u2020": "\\dag{}", "\u2021": "\\ddag{}", "\u00a7": "\\S{}",
    "\u00b2": "\\textsuperscript{2}", "\u00b3": "\\textsuperscript{3}", "\u00b9": "\\textsuperscript{1}",
    "\u2206": "\\ensuremath{\\Delta}", "\u2211": "\\ensuremath{\\sum}", "\u221a": "\\ensuremath{\\surd}",
    "\u2208": "\\ensuremath{\\in}", "\u2229": "\\ensuremath{\\cap}", "\u222a": "\\ensuremath{\\cup}",
    "\u2191": "\\ensuremath{\\uparrow}", "\u2193": "\\ensuremath{\\downarrow}", "\u2205": "\\ensuremath{\\emptyset}",
    "\u221d": "\\ensuremath{\\propto}", "\u2261": "\\ensuremath{\\equiv}", "\u2202": "\\ensuremath{\\partial}",
    "\u2329": "\\ensuremath{\\langle}", "\u232a": "\\ensuremath{\\rangle}", "\u27e8": "\\ensuremath{\\langle}",
    "\u27e9": "\\ensuremath{\\rangle}", "\u2113": "\\ensuremath{\\ell}", "\u210f": "\\ensuremath{\\hbar}",
    "\u00ac": "\\ensuremath{\\neg}", "\u2227": "\\ensuremath{\\wedge}", "\u2228": "\\ensuremath{\\vee}",
    "\u2200": "\\ensuremath{\\forall}", "\u2203": "\\ensuremath{\\exists}", "\u00f7": "\\ensuremath{\\div}",
    "\u2215": "/", "\u2044": "/", "\u02bc": "'", "\u00b4": "'", "\u2030": "\\%0",
    "\u2116": "No.", "\ufb01": "fi", "\ufb02": "fl", "\u2264\u0338": "",
})
ASCII_SPECIALS = {"\\": "\\ensuremath{\\backslash}", "{": "\\{", "}": "\\}", "$": "\\$", "&": "\\&", "#": "\\#",
                  "%": "\\%", "_": "\\_", "~": "\\ensuremath{\\sim}", "^": "\\textasciicircum{}",
                  "<": "\\ensuremath{<}", ">": "\\ensuremath{>}", "|": "\\ensuremath{|}"}


# accents OT1 (the classes' default encoding, as many arXiv papers use) sets as \accent over a letter
OT1_ACCENTS = {"\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0308": '"', "\u030a": "r ",
               "\u0327": "c ", "\u030c": "v ", "\u0306": "u ", "\u0304": "=", "\u0307": ".", "\u030b": "H "}
OT1_LETTERS = {"ß": "\\ss{}", "æ": "\\ae{}", "Æ": "\\AE{}", "ø": "\\o{}", "Ø": "\\O{}", "œ": "\\oe{}",
               "Œ": "\\OE{}", "ł": "\\l{}", "Ł": "\\L{}", "ı": "\\i{}", "å": "\\aa{}", "Å": "\\AA{}",
               "¼": "1/4", "½": "1/2", "¾": "3/4", "«": "<<", "»": ">>", "º": "\\textsuperscript{o}",
               "ª": "\\textsuperscript{a}"}


def latin_letter(ch: str) -> str | None:
    """A Latin letter with accents as OT1 LaTeX ('\\'{e}'), its bare letter when OT1 has not the accent, or None.
    Text commands only: an 8-bit (T1/TS1) glyph would need fonts this TeX Live lacks (bitmap Type 3 fonts)."""
    if ch in OT1_LETTERS:
        return OT1_LETTERS[ch]
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if not ("a" <= base.lower() <= "z") or not marks:
        return None
    out = "\\i" if base == "i" and marks else base
    for m in marks:
        if m in OT1_ACCENTS:
            acc = OT1_ACCENTS[m]
            out = f"\\{acc.strip()}{{{out}}}" if acc.endswith(" ") or acc.isalpha() else f"\\{acc}{{{out}}}"
    return out


def escape(text: str) -> str:
    """Plain text -> LaTeX: specials escaped, known symbols as commands, what pdflatex cannot set dropped."""
    out = []
    for ch in text:
        if ch in ASCII_SPECIALS:
            out.append(ASCII_SPECIALS[ch])
        elif ch in UNICODE_TEX:
            out.append(UNICODE_TEX[ch])
        elif ch in "\n\t\r":
            out.append(" ")
        elif ord(ch) < 0x80:
            out.append(ch)
        elif latin_letter(ch) is not None:
            out.append(latin_letter(ch))
        # anything else (CJK, rare math) is dropped: pdflatex would stop on it
    return "".join(out)


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


# ---------------------------------------------------------------- JATS helpers

def local(tag) -> str:
    return tag.split("}")[-1] if isinstance(tag, str) else ""


def load_jats(path: Path):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True)
    tree = etree.parse(str(path), parser)
    return tree


def ln(el) -> str:
    return local(el.tag)


def find(el, name):
    return next((c for c in el.iter() if ln(c) == name), None) if el is not None else None


def findall(el, name):
    return [c for c in el.iter() if ln(c) == name] if el is not None else []


def children(el, name):
    return [c for c in el if ln(c) == name]


def text_of(el) -> str:
    return squash("".join(el.itertext())) if el is not None else ""


# ---------------------------------------------------------------- citation groups

SEPARATOR = re.compile(r"^[\s,;–—-]*$")
RANGE_DASH = re.compile(r"^\s*[–—-]\s*$")
NARRATIVE = re.compile(r"\(\s*\d{4}")       # 'Smith et al. (2019)': the year in parentheses
CITE_TAG = "texcite"                            # placeholder element left in the JATS copy, filled after TeX runs


def is_bibr(el) -> bool:
    return ln(el) == "xref" and el.get("ref-type") == "bibr"


def previous_text(el) -> tuple[object, str]:
    """The text node just before el: (owner, 'text'|'tail')."""
    prev = el.getprevious()
    return (prev, "tail") if prev is not None else (el.getparent(), "text")


def get_t(owner, attr) -> str:
    return (getattr(owner, attr) or "") if owner is not None else ""


def set_t(owner, attr, value: str) -> None:
    setattr(owner, attr, value or None)


def group_xrefs(root, ref_order: list[str]) -> int:
    """Replace every group of bibr xrefs (with the brackets/parentheses the JATS printed around it) by one
    <texcite keys=... mode=...> element. Returns the number of groups. Modes: num (a numeric or superscript
    group), p (parenthetical author-year), t (narrative 'Smith et al. (2019)'), alp (author-year inside
    parentheses that also hold other words: '(see Smith et al., 2019)')."""
    count = 0
    rank = {rid: i for i, rid in enumerate(ref_order)}
    for x in list(root.iter()):
        if not is_bibr(x) or x.getparent() is None or x.get("_seen"):
            continue
        group = [x]
        while True:
            nxt = group[-1].getnext()
            if nxt is not None and is_bibr(nxt) and SEPARATOR.match(group[-1].tail or ""):
                group.append(nxt)
            else:
                break
        rids: list[str] = []
        for g in group:
            g.set("_seen", "1")
        for i, g in enumerate(group):
            for rid in (g.get("rid") or "").split():
                if rid in rank and rid not in rids:
                    rids.append(rid)
            if i + 1 < len(group) and RANGE_DASH.match(g.tail or ""):   # '[5]–[7]' tags only the ends
                a, b = rank.get(g.get("rid", "")), rank.get(group[i + 1].get("rid", ""))
                if a is not None and b is not None and a + 1 < b <= a + 50:
                    rids.extend(r for r in ref_order[a + 1:b] if r not in rids)
        printed = "".join(text_of(g) + (g.tail or "") if k + 1 < len(group) else text_of(g)
                          for k, g in enumerate(group))
        numeric = not re.search(r"\d{4}", printed)
        parent = group[0].getparent()
        # a superscript holding only the group: replace the superscript itself
        holder_is_sup = (ln(parent) == "sup" and not (parent.text or "").strip()
                         and not (group[-1].tail or "").strip(" ,;")
                         and all(is_bibr(c) for c in parent))
        first, last = (parent, parent) if holder_is_sup else (group[0], group[-1])
        owner, attr = previous_text(first)
        before = get_t(owner, attr)
        after = last.tail or ""
        if numeric:
            mode = "num"
            b2, a2 = before.rstrip(), after.lstrip()
            if b2.endswith(("[", "(")) and a2.startswith(("]", ")")):
                before, after = b2[:-1], a2[1:]
        else:
            b2, a2 = before.rstrip(), after.lstrip()
            if NARRATIVE.search(printed) and len(group) == 1:
                mode = "t"
            elif b2.endswith("(") and a2.startswith(")"):
                mode, before, after = "p", b2[:-1], a2[1:]
            else:
                mode = "alp"
        # what the JATS printed before the year of a narrative citation: kept for styles without \citet
        narrative_names = squash(NARRATIVE.split(printed)[0]) if mode == "t" else ""
        cite = etree.Element(CITE_TAG, keys=" ".join(rids), mode=mode, names=narrative_names)
        cite.tail = after
        set_t(owner, attr, before)
        par = first.getparent()
        par.replace(first, cite)
        if not holder_is_sup:
            for g in group[1:]:
                par.remove(g)
        count += 1
    return count


# ---------------------------------------------------------------- bibliography

def bib_escape(s: str) -> str:
    return escape(squash(s))


def bib_names(cit) -> str:
    names = []
    for el in cit.iter():
        name = ln(el)
        if name in ("name", "string-name"):
            if el.getparent() is not None and ln(el.getparent()) == "person-group" \
                    and el.getparent().get("person-group-type", "author") != "author":
                continue
            sur = text_of(find(el, "surname")) or text_of(el)
            given = text_of(find(el, "given-names"))
            sur, given = bib_escape(sur), bib_escape(given)
            if re.fullmatch(r"et\.? ?al\.?", sur.strip(), re.I):     # 'et al' tagged as a name
                names.append("others")
                continue
            if not sur:
                continue
            if re.fullmatch(r"[A-Z]{1,3}", given):      # PubMed initials 'AB' -> 'A. B.'
                given = " ".join(f"{c}." for c in given)
            names.append(f"{{{sur}}}, {given}" if " " in sur else (f"{sur}, {given}" if given else sur))
        elif name == "collab":
            names.append("{" + bib_escape(text_of(el)) + "}")
        elif name == "etal":
            names.append("others")
    return " and ".join(n for n in names if n)


PLAIN_REF = re.compile(r"^(?P<authors>[^()]{2,300}?)\s*\((?P<year>\d{4})[a-z]?\)\.?\s*"
                       r"(?P<title>.+?[.?!])(?:\s+(?P<rest>.*))?$")


def unstructured_entry(key: str, text: str) -> str:
    """'Surname AB, Other CD (2001) Title. Rest.' (PubMed style, untagged) -> a @misc with author, year, title."""
    m = PLAIN_REF.match(text)
    if not m:
        return f"@misc{{{key},\n  note = {{{bib_escape(text)}}}\n}}\n"
    names = []
    for part in re.split(r",\s*|\s+and\s+", m.group("authors")):
        pm = re.fullmatch(r"(.+?)\s+([A-Z]{1,3}(?:-[A-Z])?)", part.strip())
        if pm:
            names.append(f"{bib_escape(pm.group(1))}, " + " ".join(f"{c}." for c in pm.group(2) if c.isalpha()))
        elif part.strip() in ("et al", "et al."):
            names.append("others")
        elif part.strip():
            names.append("{" + bib_escape(part.strip()) + "}")
    fields = {"author": " and ".join(names), "title": bib_escape(m.group("title").rstrip(".")),
              "year": m.group("year"), "howpublished": bib_escape(m.group("rest") or "")}
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
    return f"@misc{{{key},\n{body}\n}}\n"


def bib_entry(key: str, ref) -> str:
    cit = next((c for c in ref.iter() if ln(c) in ("element-citation", "mixed-citation", "citation")), None)
    if cit is None:
        return f"@misc{{{key},\n  note = {{{bib_escape(text_of(ref))}}}\n}}\n"
    ptype = (cit.get("publication-type") or "").lower()
    fields: dict[str, str] = {}
    authors = bib_names(cit)
    if authors:
        fields["author"] = authors
    title = find(cit, "article-title")
    chapter = find(cit, "chapter-title")
    source = find(cit, "source")
    year = find(cit, "year")
    if year is not None and re.search(r"\d{4}", text_of(year)):
        fields["year"] = re.search(r"\d{4}", text_of(year)).group(0)
    for tag, field in (("volume", "volume"), ("issue", "number")):
        el = find(cit, tag)
        if el is not None and text_of(el):
            fields[field] = bib_escape(text_of(el))
    fpage, lpage, eloc = find(cit, "fpage"), find(cit, "lpage"), find(cit, "elocation-id")
    if fpage is not None:
        fields["pages"] = bib_escape(text_of(fpage)) + ("--" + bib_escape(text_of(lpage)) if lpage is not None else "")
    elif eloc is not None:
        fields["pages"] = bib_escape(text_of(eloc))
    doi = next((p for p in cit.iter() if ln(p) == "pub-id" and p.get("pub-id-type") == "doi"), None)
    if doi is not None:
        fields["doi"] = bib_escape(text_of(doi))
    publisher = find(cit, "publisher-name")
    if publisher is not None:
        fields["publisher"] = bib_escape(text_of(publisher))
    structured = "author" in fields and (title is not None or source is not None or chapter is not None)
    if not structured:     # an untagged mixed-citation: its authors, year and title as the text shows them
        return unstructured_entry(key, text_of(cit))
    if ptype == "journal" or (title is not None and source is not None and ptype not in ("book",)):
        kind = "article"
        if title is not None:
            fields["title"] = bib_escape(text_of(title))
        if source is not None:
            fields["journal"] = bib_escape(text_of(source))
    elif chapter is not None or (ptype == "book" and title is not None and source is not None):
        kind = "incollection"
        fields["title"] = bib_escape(text_of(chapter if chapter is not None else title))
        if source is not None:
            fields["booktitle"] = bib_escape(text_of(source))
        fields.setdefault("publisher", "")
    elif ptype == "book":
        kind = "book"
        fields["title"] = bib_escape(text_of(source if source is not None else title))
        fields.setdefault("publisher", "")
    else:
        kind = "misc"
        main = title if title is not None else source
        fields["title"] = bib_escape(text_of(main))
        if title is not None and source is not None:
            fields["howpublished"] = bib_escape(text_of(source))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
    return f"@{kind}{{{key},\n{body}\n}}\n"


# ---------------------------------------------------------------- body -> LaTeX

@dataclass
class Ctx:
    style: Style
    keys: dict            # rid -> bibtex key
    footnotes: dict       # fn id -> fn element
    depth: int = 0


def cite_latex(el, ctx: Ctx) -> str:
    keys = ",".join(ctx.keys[r] for r in (el.get("keys") or "").split() if r in ctx.keys)
    if not keys:
        return ""
    mode, st = el.get("mode"), ctx.style
    if st.cite == "author-year":
        if mode == "t":
            return f"\\citet{{{keys}}}"
        if mode == "alp":
            return f"\\citealp{{{keys}}}"
        return f"\\citep{{{keys}}}"
    if mode == "t":   # a narrative author-year citation in a numeric style: 'Smith et al. [3]'
        if st.natbib:
            return f"\\citet{{{keys}}}"
        return escape(el.get("names") or "") + f"~\\cite{{{keys}}}"
    return f"\\cite{{{keys}}}"


def inline(el, ctx: Ctx, skip_tail: bool = False) -> str:
    """The inline content of el (its text and children, not its tail) as LaTeX."""
    parts = [escape(el.text or "")]
    for c in el:
        parts.append(inline_child(c, ctx))
        parts.append(escape(c.tail or ""))
    return "".join(parts)


def inline_child(c, ctx: Ctx) -> str:
    name = ln(c)
    if name == CITE_TAG:
        return cite_latex(c, ctx)
    if name in ("italic", "i", "em"):
        return "\\textit{" + inline(c, ctx) + "}"
    if name in ("bold", "b"):
        return "\\textbf{" + inline(c, ctx) + "}"
    if name == "sup":
        inner = inline(c, ctx)
        return "\\textsuperscript{" + inner + "}" if inner.strip() else ""
    if name == "sub":
        inner = inline(c, ctx)
        return "\\textsubscript{" + inner + "}" if inner.strip() else ""
    if name in ("sc",):
        return "\\textsc{" + inline(c, ctx) + "}"
    if name in ("monospace",):
        return "\\texttt{" + inline(c, ctx) + "}"
    if name == "xref" and c.get("ref-type") == "fn" and c.get("rid") in ctx.footnotes:
        fn = ctx.footnotes.pop(c.get("rid"))
        return "\\footnote{" + " ".join(inline(p, ctx) for p in findall(fn, "p")) + "}"
    if name in ("fig", "table-wrap", "boxed-text", "disp-formula", "list", "fn", "table-wrap-foot"):
        return ""     # block content inside a paragraph is written after it (see para)
    if name in ("inline-formula", "math", "tex-math", "alternatives"):
        return escape(text_of(c))
    return inline(c, ctx)


def para(p, ctx: Ctx) -> str:
    out = [inline(p, ctx).strip()]
    for c in p:
        name = ln(c)
        if name == "fig":
            out.append(figure(c, ctx))
        elif name == "table-wrap":
            out.append(table(c, ctx))
        elif name == "list":
            out.append(list_env(c, ctx))
        elif name == "disp-formula":
            formula = escape(text_of(c))
            if formula:
                out.append("\\begin{center}" + formula + "\\end{center}")
        elif name == "boxed-text":
            out.extend(block(b, ctx) for b in c)
    return "\n\n".join(o for o in out if o) + "\n"


def caption(el, ctx: Ctx) -> str:
    cap = children(el, "caption")
    if not cap:
        return ""
    parts = []
    for c in cap[0]:
        if ln(c) == "title":
            t = inline(c, ctx).strip()
            parts.append("\\textbf{" + t + "}" if t else "")
        elif ln(c) == "p":
            parts.append(inline(c, ctx).strip())
    return " ".join(p for p in parts if p)


def figure(el, ctx: Ctx) -> str:
    cap = caption(el, ctx)
    wide = ctx.style.floats_wide and len(cap) > 600
    env = "figure*" if wide else "figure"
    height = 3 + (len(text_of(el)) % 4)        # some variety, deterministic
    box = f"\\fbox{{\\rule{{0pt}}{{{height}cm}}\\rule{{0.9\\linewidth}}{{0pt}}}}"
    return f"\\begin{{{env}}}[tbp]\n\\centering\n{box}\n{caption_latex(cap)}\n\\end{{{env}}}\n"


def caption_latex(cap: str) -> str:
    """\\caption{...}; a legend of thousands of characters overflows \\caption's one-line trial box
    ('Dimension too large'), so past its title it is set as a small paragraph under the caption."""
    if len(cap) <= 2500 or not cap.startswith("\\textbf{"):
        return f"\\caption{{{cap}}}"
    depth, end = 0, 0
    for i, ch in enumerate(cap):
        depth += (ch == "{") - (ch == "}")
        if ch == "}" and depth == 0:
            end = i + 1
            break
    return f"\\caption{{{cap[:end]}}}\n\\par{{\\footnotesize {cap[end:].strip()}\\par}}"


def table_rows(el) -> list[list[tuple[object, int]]] | None:
    rows = []
    for tr in findall(el, "tr"):
        cells = [(c, int(c.get("colspan") or 1)) for c in tr if ln(c) in ("td", "th")]
        if cells:
            rows.append(cells)
    return rows or None


def table(el, ctx: Ctx) -> str:
    rows = table_rows(el)
    cap = caption(el, ctx)
    if rows is None:
        return ""
    ncols = max(sum(span for _, span in r) for r in rows)
    longest = max(len(text_of(c)) for r in rows for c, _ in r)
    if ncols > 8 or len(rows) > 40 or longest > 80 or any(findall(el, "table")[1:]):
        el.set(SKIPPED, "1")  # too wide or too long for a simple tabular: left out, and out of the JATS copy
        return ""
    wide = ctx.style.floats_wide and (ncols > 4 or longest > 30)
    env = "table*" if wide else "table"
    lines = []
    for r in rows:
        cells = []
        for c, span in r:
            body = inline(c, ctx).strip()
            cells.append(f"\\multicolumn{{{span}}}{{l}}{{{body}}}" if span > 1 else body)
        width = sum(span for _, span in r)
        cells += [""] * (ncols - width)
        lines.append(" & ".join(cells) + " \\\\")
    foot = " ".join(inline(p, ctx).strip() for f in findall(el, "table-wrap-foot") for p in findall(f, "p"))
    return (f"\\begin{{{env}}}[tbp]\n{caption_latex(cap)}\n\\centering\\footnotesize\n"
            f"\\begin{{tabular}}{{{'l' * ncols}}}\n\\hline\n" + "\n".join(lines) +
            "\n\\hline\n\\end{tabular}\n" + (f"\n\\par\\smallskip {foot}\n" if foot else "") + f"\\end{{{env}}}\n")


def list_env(el, ctx: Ctx) -> str:
    items = []
    for it in children(el, "list-item"):
        items.append("\\item " + "\n\n".join(para(p, ctx) for p in it if ln(p) == "p"))
    kind = "enumerate" if el.get("list-type") in ("order", "arabic") else "itemize"
    return f"\\begin{{{kind}}}\n" + "\n".join(items) + f"\n\\end{{{kind}}}\n" if items else ""


SECTION_CMDS = ["section", "subsection", "subsubsection", "paragraph"]


def block(el, ctx: Ctx) -> str:
    name = ln(el)
    if name == "p":
        return para(el, ctx)
    if name == "sec":
        if el.get("sec-type") in ("supplementary-material",):
            el.set(SKIPPED, "1")
            return ""
        title = children(el, "title")
        cmd = SECTION_CMDS[min(ctx.depth, 3)]
        head = f"\\{cmd}{{{inline(title[0], ctx).strip()}}}\n" if title and text_of(title[0]) else ""
        ctx.depth += 1
        body = "\n".join(block(c, ctx) for c in el if ln(c) != "title")
        ctx.depth -= 1
        return head + body
    if name == "fig":
        return figure(el, ctx)
    if name == "table-wrap":
        return table(el, ctx)
    if name == "list":
        return list_env(el, ctx)
    if name in ("boxed-text", "fig-group", "def-list", "disp-quote", "statement"):
        return "\n".join(block(c, ctx) for c in el)
    if name == "disp-formula":
        formula = escape(text_of(el))
        return "\\begin{center}" + formula + "\\end{center}\n" if formula else ""
    return ""


SKIPPED = "texbench-skipped"


def keep_tail(el) -> None:
    """Before removing el: its tail text goes to the text before it."""
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            el.getparent().text = (el.getparent().text or "") + el.tail


# ---------------------------------------------------------------- front matter

@dataclass
class Author:
    name: str
    affs: list[int]


def front_matter(root) -> tuple[str, list[Author], list[str], object]:
    meta = find(root, "article-meta")
    title_el = find(find(meta, "title-group"), "article-title")
    affs_by_id: dict[str, int] = {}
    aff_texts: list[str] = []
    for aff in findall(meta, "aff"):
        pieces = [aff.text or ""]
        for c in aff:      # the label ('1', 'a') is the author's mark, not part of the affiliation
            pieces += ([] if ln(c) == "label" else list(c.itertext())) + [c.tail or ""]
        txt = squash(" ".join(pieces))
        txt = re.sub(r"\s+([,.;])", r"\1", txt)
        if txt:
            affs_by_id[aff.get("id") or f"_aff{len(aff_texts)}"] = len(aff_texts)
            aff_texts.append(txt)
    authors = []
    for c in findall(meta, "contrib"):
        if c.get("contrib-type") != "author":
            continue
        n = find(c, "name")
        if n is not None:
            name = squash(f"{text_of(find(n, 'given-names'))} {text_of(find(n, 'surname'))}")
        else:
            name = text_of(find(c, "collab"))
        if not name:
            continue
        affs = [affs_by_id[x.get("rid")] for x in findall(c, "xref")
                if x.get("ref-type") == "aff" and x.get("rid") in affs_by_id]
        authors.append(Author(name, affs))
    if len(authors) > 12:          # long consortium lists: the first twelve, as many classes' examples do
        authors = authors[:12]
    abstract = None
    for a in findall(meta, "abstract"):
        if a.get("abstract-type") in (None, "", "summary", "abstract"):
            abstract = a
            break
    return (title_el, authors, aff_texts, abstract)


def title_block(style: Style, title: str, authors: list[Author], affs: list[str], abstract: str) -> tuple[str, str]:
    """(before \\maketitle, after \\maketitle) in the class's own macros."""
    used = sorted({a for au in authors for a in au.affs}) or ([0] if affs else [])
    num = {a: i + 1 for i, a in enumerate(used)}
    esc_affs = {a: escape(affs[a]) for a in used}
    abstract_env = f"\\begin{{abstract}}\n{abstract}\n\\end{{abstract}}\n" if abstract else ""
    names = [escape(a.name) for a in authors]
    if style.front == "ieee":
        aff_note = "; ".join(f"{num[a]}: {esc_affs[a]}" for a in used)
        marks = [",".join(str(num[a]) for a in au.affs) for au in authors]
        auth = ", ".join(f"{n}$^{{{m}}}$" if m else n for n, m in zip(names, marks))
        return (f"\\title{{{title}}}\n\\author{{{auth}\\thanks{{{aff_note}}}}}\n",
                "\\maketitle\n" + abstract_env)
    if style.front == "els":
        out = [f"\\begin{{frontmatter}}\n\\title{{{title}}}\n"]
        for n, au in zip(names, authors):
            labels = ",".join(f"a{num[a]}" for a in au.affs)
            out.append(f"\\author[{labels}]{{{n}}}\n" if labels else f"\\author{{{n}}}\n")
        out += [f"\\address[a{num[a]}]{{{esc_affs[a]}}}\n" for a in used]
        out.append(abstract_env + "\\end{frontmatter}\n")
        return "".join(out), ""
    if style.front == "acm":
        out = [f"\\title{{{title}}}\n"]
        for n, au in zip(names, authors):
            inst = esc_affs.get(au.affs[0], "") if au.affs else (esc_affs[used[0]] if used else "")
            out.append(f"\\author{{{n}}}\n\\affiliation{{\\institution{{{inst or 'Unknown'}}}\\country{{}}}}\n")
        return "".join(out) + abstract_env, "\\maketitle\n"
    if style.front == "revtex":
        out = [f"\\title{{{title}}}\n"]
        for n, au in zip(names, authors):
            out.append(f"\\author{{{n}}}\n")
            out += [f"\\affiliation{{{esc_affs[a]}}}\n" for a in au.affs]
        return "".join(out) + abstract_env, "\\maketitle\n"
    if style.front == "llncs":
        auth = " \\and ".join(f"{n}\\inst{{{','.join(str(num[a]) for a in au.affs)}}}" if au.affs else n
                              for n, au in zip(names, authors))
        inst = " \\and ".join(esc_affs[a] for a in used)
        return (f"\\title{{{title}}}\n\\author{{{auth}}}\n\\institute{{{inst}}}\n",
                "\\maketitle\n" + abstract_env)
    # plain article: names with superscript marks, affiliations below
    auth = ", ".join(f"{n}$^{{{','.join(str(num[a]) for a in au.affs)}}}$" if au.affs else n
                     for n, au in zip(names, authors))
    aff_lines = "\\\\\n".join(f"{{\\small $^{{{num[a]}}}$ {esc_affs[a]}}}" for a in used)
    return (f"\\title{{{title}}}\n\\author{{{auth}\\\\\n{aff_lines}}}\n\\date{{}}\n",
            "\\maketitle\n" + abstract_env)


# ---------------------------------------------------------------- the document

@dataclass
class Converted:
    tex: str
    bib: str
    jats: object          # the JATS tree with <texcite> placeholders
    keys: dict            # rid -> bibtex key
    groups: int


def convert(tree, style: Style) -> Converted:
    """JATS tree -> (LaTeX source, BibTeX database, JATS copy with citation placeholders). Pure: no TeX."""
    tree = copy.deepcopy(tree)
    root = tree.getroot()
    back = find(root, "back")
    ref_list = [r for r in root.iter() if ln(r) == "ref" and any(ln(a) == "ref-list" for a in r.iterancestors())]
    ref_ids = [r.get("id") for r in ref_list if r.get("id")]
    keys = {rid: f"r{i + 1}" for i, rid in enumerate(ref_ids)}
    body = find(root, "body")
    groups = 0
    for part in [find(root, "article-meta"), body, back]:
        if part is not None:
            groups += group_xrefs(part, ref_ids)
    footnotes = {fn.get("id"): fn for fn in findall(root, "fn") if fn.get("id")}
    ctx = Ctx(style, keys, footnotes)
    title_el, authors, affs, abstract_el = front_matter(root)
    title = inline(title_el, ctx).strip() if title_el is not None else "Untitled"
    abstract = ""
    if abstract_el is not None:
        abstract = "\n\n".join(para(p, ctx).strip() for p in findall(abstract_el, "p"))
    before, after = title_block(style, title, authors, affs, abstract)
    parts = [style.preamble, COMMON_PACKAGES, "\\begin{document}\n", before, after]
    if body is not None:
        parts += [block(c, ctx) for c in body]
    if back is not None:
        for c in back:
            name = ln(c)
            if name == "ack":
                parts.append("\\section*{Acknowledgments}\n" +
                             "\n".join(block(p, ctx) for p in c if ln(p) != "title"))
            elif name == "app-group":
                apps = children(c, "app")
                if apps:
                    parts.append("\\appendix\n")
                for app in apps:
                    t = children(app, "title")
                    parts.append(f"\\section{{{inline(t[0], ctx).strip() if t else 'Appendix'}}}\n")
                    ctx.depth = 1
                    parts += [block(x, ctx) for x in app if ln(x) != "title"]
                    ctx.depth = 0
    parts.append("\\nocite{*}\n")
    if style.bst:
        parts.append(f"\\bibliographystyle{{{style.bst}}}\n")
    parts.append("\\bibliography{refs}\n\\end{document}\n")
    for el in [e for e in root.iter() if e.get(SKIPPED)]:     # what is not typeset is not truth either
        if el.getparent() is not None:
            keep_tail(el)
            el.getparent().remove(el)
    bib = "".join(bib_entry(keys[r.get("id")], r) for r in ref_list if r.get("id") in keys)
    return Converted("".join(parts), bib, tree, keys, groups)


# ---------------------------------------------------------------- after TeX: what it printed

BIBCITE = re.compile(r"\\bibcite\{([^}]*)\}\{(.*)\}\s*$")


def detex(s: str) -> str:
    s = s.replace("~", " ").replace("\\ ", " ")
    s = re.sub(r"\\(?:textit|textbf|emph|natexlab|bibnamefont|bibfnamefont|citenamefont)\b", "", s)
    for ch, tex in ASCII_SPECIALS.items():
        s = s.replace(tex, ch)
    for ch, tex in UNICODE_TEX.items():
        if len(tex) > 1:
            s = s.replace(tex, ch)
    s = re.sub(r"\\[a-zA-Z]+\s*", "", s)
    return squash(s.replace("{", "").replace("}", ""))


def split_braced(s: str) -> list[str]:
    """'{1}{2019}{{Smith et~al.}}{{...}}' -> ['1', '2019', '{Smith et~al.}', '{...}']"""
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "{":
            if depth:
                cur += ch
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth:
                cur += ch
            else:
                out.append(cur)
                cur = ""
        elif depth:
            cur += ch
    return out


def read_labels(aux: str) -> dict[str, tuple[str, str, str]]:
    """bibtex key -> (number, year, short authors) from \\bibcite lines (plain or natbib form)."""
    labels = {}
    for line in aux.splitlines():
        m = BIBCITE.match(line.strip())
        if not m:
            continue
        key, val = m.group(1), m.group(2)
        if val.startswith("{"):
            f = split_braced(val) + ["", "", ""]
            labels[key] = (detex(f[0]), detex(f[1]), detex(f[2]))
        else:
            labels[key] = (detex(val), "", "")
    return labels


def fill_citations(tree, keys: dict, labels: dict, style: Style) -> None:
    """Replace every <texcite> in the JATS copy by xrefs whose text is what TeX printed, in its brackets."""
    for cite in list(tree.getroot().iter(CITE_TAG)):
        rids = [r for r in (cite.get("keys") or "").split() if keys.get(r) in labels]
        mode = cite.get("mode")
        parent = cite.getparent()
        owner, attr = previous_text(cite)
        pieces: list = []            # strings and (rid, text) pairs
        if style.cite == "author-year":
            items = [(r, labels[keys[r]]) for r in rids]
            if style.sorts_author_year and mode != "t":
                items.sort(key=lambda it: int(it[1][0]) if it[1][0].isdigit() else 0)
            if mode == "t":
                for i, (r, (_, yr, au)) in enumerate(items):
                    pieces += ([", "] if i else []) + [(r, f"{au} ({yr})")]
            else:
                inner = []
                for i, (r, (_, yr, au)) in enumerate(items):
                    inner += (["; "] if i else []) + [(r, f"{au}, {yr}")]
                pieces = (["("] + inner + [")"]) if mode in ("p", "num") else inner
        else:
            nums = [(r, labels[keys[r]][0]) for r in rids]
            if style.natbib:    # natbib's numeric styles here sort a group ('sort' / 'sort&compress')
                nums.sort(key=lambda rn: int(rn[1]) if rn[1].isdigit() else 0)
            if mode == "t":
                names = labels[keys[rids[0]]][2] if rids and style.natbib else (cite.get("names") or "")
                pieces.append(names + " ")
            if style.cite == "super" and mode != "t":
                pieces.append("")
                for i, (r, n) in enumerate(nums):
                    pieces += ([","] if i else []) + [(r, n)]
            else:
                pieces.append("[")
                for i, (r, n) in enumerate(nums):
                    pieces += ([", "] if i else []) + [(r, n)]
                pieces.append("]")
        # write the pieces in place of the placeholder
        prev_text = get_t(owner, attr)
        index = list(parent).index(cite)
        tail = cite.tail or ""
        parent.remove(cite)
        last = None
        for p in pieces:
            if isinstance(p, str):
                if last is None:
                    prev_text += p
                else:
                    last.tail = (last.tail or "") + p
            else:
                x = etree.Element("xref", {"ref-type": "bibr", "rid": p[0]})
                x.text = p[1]
                parent.insert(index, x)
                index += 1
                last = x
        if last is None:
            prev_text += tail
        else:
            last.tail = (last.tail or "") + tail
        # the owner of the previous text may be the parent (text) or a previous sibling (tail)
        if owner is parent and attr == "text":
            parent.text = prev_text or None
        else:
            set_t(owner, attr, prev_text)


# ---------------------------------------------------------------- compile

def run_tex(folder: Path, timeout: int = 180) -> tuple[bool, str]:
    def run(*cmd):
        return subprocess.run(cmd, cwd=folder, capture_output=True, text=True, errors="replace",
                              timeout=timeout)
    tex = ("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "paper.tex")
    try:
        first = run(*tex)
        if first.returncode != 0:
            return False, first.stdout[-1500:]
        run("bibtex", "paper")
        for _ in range(2):
            last = run(*tex)
            if last.returncode != 0:
                return False, last.stdout[-1500:]
    except subprocess.TimeoutExpired:
        return False, "timeout"
    return (folder / "paper.pdf").exists(), ""


def make_one(args: tuple[str, str, str, bool]) -> tuple[str, str, bool, str]:
    jats_path, style_name, out_dir, skip_existing = args
    style = STYLES[style_name]
    path = Path(jats_path)
    stem = path.stem
    if skip_existing and (Path(out_dir) / style_name / f"{stem}.xml").exists():
        return stem, style_name, True, ""
    try:
        conv = convert(load_jats(path), style)
    except Exception as exc:       # a JATS the converter cannot read: counted as a failure
        return stem, style_name, False, f"convert: {exc!r}"
    with tempfile.TemporaryDirectory(prefix="texbench-") as tmp:
        folder = Path(tmp)
        (folder / "paper.tex").write_text(conv.tex)
        (folder / "refs.bib").write_text(conv.bib)
        ok, log = run_tex(folder)
        out = Path(out_dir) / style_name
        if not ok:
            (out / "failed").mkdir(parents=True, exist_ok=True)
            (out / "failed" / f"{stem}.tex").write_text(conv.tex)
            (out / "failed" / f"{stem}.log").write_text(log)
            return stem, style_name, False, log.strip().splitlines()[-1] if log.strip() else "no pdf"
        out.mkdir(parents=True, exist_ok=True)
        labels = read_labels((folder / "paper.aux").read_text(errors="replace"))
        fill_citations(conv.jats, conv.keys, labels, style)
        shutil.copy(folder / "paper.pdf", out / f"{stem}.pdf")
        (out / f"{stem}.tex").write_text(conv.tex)
        (out / f"{stem}.bib").write_text(conv.bib)
        conv.jats.write(str(out / f"{stem}.xml"), encoding="utf-8", xml_declaration=True)
    return stem, style_name, True, ""


def pick(jats_dir: Path, n: int, seed: int) -> list[Path]:
    files = sorted(jats_dir.glob("*.xml"))
    rng = random.Random(seed)
    rng.shuffle(files)
    return sorted(files[:n]) if n else sorted(files)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jats", type=Path, default=DEFAULT_JATS)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--n", type=int, default=10, help="articles (0: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--styles", default=",".join(STYLES), help="comma-separated: " + ", ".join(STYLES))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--skip-existing", action="store_true", help="keep papers already made in OUT (resume a run)")
    args = ap.parse_args()
    styles = [s for s in args.styles.split(",") if s]
    unknown = [s for s in styles if s not in STYLES]
    if unknown:
        ap.error(f"unknown styles {unknown}")
    files = pick(args.jats, args.n, args.seed)
    if not files:
        ap.error(f"no JATS articles in {args.jats} (set LITREADER_SHARED or --jats)")
    for s in styles:
        (args.out / s).mkdir(parents=True, exist_ok=True)
    tasks = [(str(f), s, str(args.out), args.skip_existing) for s in styles for f in files]
    made: dict[str, int] = {s: 0 for s in styles}
    failed: dict[str, list[str]] = {s: [] for s in styles}
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for stem, style, ok, why in pool.map(make_one, tasks):
            if ok:
                made[style] += 1
            else:
                failed[style].append(stem)
                print(f"  failed {style}/{stem}: {why}", file=sys.stderr)
    for s in styles:
        print(f"{s:12s} made {made[s]:3d}  failed {len(failed[s]):3d}  -> {args.out / s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
