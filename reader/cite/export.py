"""Write a reference list in the forms reference managers import: BibTeX, RIS and CSL-JSON."""
from __future__ import annotations

import json
import re
import unicodedata

from reader.model import Name, Reference

_BIBTEX_TYPES = {"article-journal": "article", "book": "book", "chapter": "incollection",
                 "paper-conference": "inproceedings", "report": "techreport", "thesis": "phdthesis"}
_RIS_TYPES = {"article-journal": "JOUR", "book": "BOOK", "chapter": "CHAP", "paper-conference": "CPAPER",
              "report": "RPRT", "thesis": "THES", "webpage": "ELEC", "dataset": "DATA", "software": "COMP"}
# LaTeX accent commands for Unicode combining marks
_ACCENTS = {"\u0301": "'", "\u0300": "`", "\u0302": "^", "\u0308": '"', "\u0303": "~", "\u0327": "c",
            "\u030c": "v", "\u030a": "r", "\u0304": "=", "\u0307": ".", "\u0306": "u", "\u030b": "H", "\u0328": "k"}
_LETTERS = {"ø": r"{\o}", "Ø": r"{\O}", "ß": r"{\ss}", "æ": r"{\ae}", "Æ": r"{\AE}", "œ": r"{\oe}", "Œ": r"{\OE}",
            "ł": r"{\l}", "Ł": r"{\L}", "ı": r"{\i}", "–": "--", "—": "---", "“": "``", "”": "''", "’": "'", "‘": "`"}
_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
            "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def to_bibtex(references: list[Reference]) -> str:
    """BibTeX entries, one per reference, with unique keys like ``Cao2004a``."""
    keys: set[str] = set()
    entries = []
    for ref in references:
        key = _unique_key(ref, keys)
        fields = _bibtex_fields(ref)
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@{_BIBTEX_TYPES.get(ref.type, 'misc')}{{{key},\n{body}\n}}")
    return "\n\n".join(entries) + ("\n" if entries else "")


def _bibtex_fields(ref: Reference) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    if ref.author:
        fields.append(("author", " and ".join(_bibtex_name(a) for a in ref.author)))
    title = ref.title or (ref.raw if not ref.author else "")
    if title:
        fields.append(("title", "{" + latex(title) + "}"))  # inner braces keep the capitals as printed
    container = {"article-journal": "journal", "chapter": "booktitle", "paper-conference": "booktitle"}
    if ref.container_title:
        fields.append((container.get(ref.type, "howpublished"), latex(ref.container_title)))
    if ref.issued:
        fields.append(("year", str(ref.issued[0])))
    for name, value in (("volume", ref.volume), ("number", ref.issue), ("pages", ref.page.replace("–", "-")),
                        ("publisher", ref.publisher), ("address", ref.publisher_place)):
        if value:
            fields.append((name, latex(value).replace("-", "--") if name == "pages" else latex(value)))
    if ref.DOI:
        fields.append(("doi", ref.DOI.replace("\\", "").replace("{", "").replace("}", "")))
    if ref.URL:
        fields.append(("url", ref.URL.replace("{", "%7B").replace("}", "%7D")))
    if ref.note:
        fields.append(("note", latex(ref.note)))
    return fields


def _bibtex_name(name: Name) -> str:
    if name.literal:
        return "{" + latex(name.literal) + "}"  # an organisation: never split into first and last names
    return latex(f"{name.family}, {name.given}" if name.given else name.family)


def latex(text: str) -> str:
    """Escape LaTeX's special characters and write accented letters as accent commands."""
    out: list[str] = []
    for ch in text:
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch in _LETTERS:
            out.append(_LETTERS[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            decomposed = unicodedata.normalize("NFD", ch)
            base, marks = decomposed[0], decomposed[1:]
            if len(marks) == 1 and marks in _ACCENTS and ord(base) < 128:
                command = _ACCENTS[marks]
                # symbol accents attach directly ({\'e}); letter accents take an argument ({\c{c}})
                out.append(f"{{\\{command}{{{base}}}}}" if command.isalpha() else f"{{\\{command}{base}}}")
            else:
                out.append(ch)  # other scripts stay as UTF-8 (biblatex and bibtex8 read them)
    return "".join(out)


def _unique_key(ref: Reference, taken: set[str]) -> str:
    who = ref.author[0].family or ref.author[0].literal if ref.author else (ref.title or "ref")
    ascii_who = unicodedata.normalize("NFKD", who).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z]+", ascii_who)
    stem = (words[0] if ref.author and ref.author[0].family else "".join(w.capitalize() for w in words[:3])) or "ref"
    base = f"{stem}{ref.issued[0] if ref.issued else 'nd'}{ref.year_suffix}"
    key, n = base, 1
    while key in taken:
        key = f"{base}-{n}"
        n += 1
    taken.add(key)
    return key


def to_ris(references: list[Reference]) -> str:
    """RIS records (``TY  - JOUR`` ... ``ER  -``), as Zotero, EndNote and Mendeley import them."""
    records = []
    for ref in references:
        lines = [("TY", _RIS_TYPES.get(ref.type, "GEN"))]
        lines += [("AU", a.literal or (f"{a.family}, {a.given}" if a.given else a.family)) for a in ref.author]
        if ref.issued:
            lines.append(("PY", str(ref.issued[0])))
        lines.append(("TI", ref.title or ref.raw))
        if ref.container_title:
            lines.append(("T2", ref.container_title))
        first, _, last = ref.page.replace("–", "-").partition("-")
        for tag, value in (("VL", ref.volume), ("IS", ref.issue), ("SP", first), ("EP", last), ("PB", ref.publisher),
                           ("CY", ref.publisher_place), ("DO", ref.DOI), ("UR", ref.URL), ("N1", ref.note)):
            if value:
                lines.append((tag, value))
        lines.append(("ER", ""))
        records.append("\n".join(f"{tag}  - {_one_line(value)}".rstrip() if tag == "ER" else
                                 f"{tag}  - {_one_line(value)}" for tag, value in lines))
    return "\n\n".join(records) + ("\n" if records else "")


def _one_line(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def to_csl_json(references: list[Reference]) -> str:
    """A CSL-JSON array, as citeproc processors and reference managers read it."""
    return json.dumps([ref.to_csl() for ref in references], ensure_ascii=False, indent=2) + "\n"


FORMATS = {"bibtex": to_bibtex, "ris": to_ris, "csljson": to_csl_json}
