"""Read BibTeX (and BibLaTeX), RIS and CSL-JSON files into records, with the files their entries point to.

The parsing is bibtexparser's (v2: fault tolerant, a broken entry does not stop the file) and rispy's; what
is ours is reading the ``file`` field in each dialect that reference managers write:

- Zotero: ``Full Text PDF:/home/me/Zotero/storage/AB12CD34/paper.pdf:application/pdf;Snapshot:...``, with
  ``\\:``, ``\\;``, ``\\\\`` and ``\\$`` escaped;
- Better BibTeX: the path alone, or several joined by ``;``;
- JabRef: ``description:link:type`` (``:papers/smith.pdf:PDF``), Windows paths unescaped (``C:\\Users\\...``);
- Mendeley: ``:C$\\backslash$:/Users/...:pdf``, and on Linux and macOS the path without its leading slash;
- paths relative to the .bib file.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from reader.library.external.records import Attachment, Note, Record, SourceError
from reader.model import Name

READABLE_SUFFIXES = (".pdf", ".txt", ".md", ".xml", ".nxml")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|2\d\d\d)(?!\d)")
_ESCAPED = re.compile(r"\\([:;\\$])")
_DRIVE = re.compile(r"^[A-Za-z]$")


def read_bib_file(path: Path) -> tuple[list[Record], list[str]]:
    """The entries of a .bib, .ris or CSL-JSON file as records, and one line per entry that could not be read.

    Raises SourceError when the file as a whole cannot be read.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    text = raw.decode("utf-8-sig", errors="replace")
    kind = bib_kind(path, text)
    if kind == "csljson":
        return _read_csl_json(path, text)
    if kind == "ris":
        return _read_ris(path, text)
    return _read_bibtex(path, text)


def bib_kind(path: Path, text: str) -> str:
    """bibtex, ris or csljson, from the content (the name is only a hint)."""
    head = text.lstrip()[:2000]
    if head.startswith(("[", "{")) and path.suffix.lower() in (".json", ".csljson", ""):
        return "csljson"
    if re.search(r"^TY  - ", head, re.MULTILINE):
        return "ris"
    return "bibtex"


def looks_like_bibliography(path: Path) -> bool:
    """Whether a file handed to ``import`` is a bibliography rather than a paper."""
    suffix = path.suffix.lower()
    if suffix in (".bib", ".bibtex", ".ris"):
        return True
    if suffix == ".json":
        try:
            head = path.read_text(encoding="utf-8-sig", errors="replace")[:4000].lstrip()
        except OSError:
            return False
        return head.startswith("[") and '"type"' in head
    return False


# --- BibTeX ---

def _read_bibtex(path: Path, text: str) -> tuple[list[Record], list[str]]:
    import bibtexparser
    from bibtexparser import middlewares
    from pylatexenc.latex2text import LatexNodes2Text

    library = bibtexparser.parse_string(text, append_middleware=[middlewares.SeparateCoAuthors(),
                                                                 middlewares.SplitNameParts()])
    decoder = LatexNodes2Text(math_mode="verbatim")

    def plain(value: object) -> str:
        if not isinstance(value, str):
            return ""
        try:
            return " ".join(decoder.latex_to_text(value).split())
        except Exception:  # pylatexenc on malformed LaTeX: keep the text as typed
            return " ".join(value.replace("{", "").replace("}", "").split())

    problems = [f"{path}: the entry at line {block.start_line + 1} cannot be read (a BibTeX syntax error: "
                "an unclosed brace or quote?); the other entries are read" for block in library.failed_blocks]
    records = []
    seen: set[str] = set()
    for entry in library.entries:
        f = {name.lower(): field.value for name, field in entry.fields_dict.items()}
        key = entry.key if entry.key not in seen else f"{entry.key}#{len(seen)}"
        seen.add(key)
        authors = _bibtex_names(f.get("author") or f.get("editor") or [], plain)
        record = Record(
            key=key, item_type=entry.entry_type.lower(), title=plain(f.get("title")), authors=authors,
            year=_year(plain(f.get("year")) or plain(f.get("date"))),
            venue=plain(f.get("journal") or f.get("journaltitle") or f.get("booktitle") or f.get("publisher")),
            volume=plain(f.get("volume")), issue=plain(f.get("number") or f.get("issue")),
            pages=plain(f.get("pages")).replace("--", "–"), doi=_doi(plain(f.get("doi"))), url=plain(f.get("url")),
            abstract=plain(f.get("abstract")), citation_key=entry.key,
            tags=_split_list(plain(f.get("keywords"))),
            collections=[(g,) for g in _split_list(plain(f.get("groups") or f.get("mendeley-groups")))],
            notes=[Note(f"{key}:{name}", plain(f[name])) for name in ("annote", "comment") if plain(f.get(name))])
        if isinstance(f.get("file"), str):
            record.attachments = file_field_attachments(f["file"], path.parent)
        records.append(record)
    return records, problems


def _bibtex_names(names: object, plain) -> list[Name]:  # type: ignore[no-untyped-def]
    out = []
    for parts in names if isinstance(names, list) else []:
        last = " ".join(parts.last)
        if not parts.first and not parts.von and last.startswith("{") and last.endswith("}"):
            out.append(Name(literal=plain(last[1:-1])))  # {World Health Organization}
            continue
        family = plain(" ".join(parts.von + parts.last + parts.jr))
        if family:
            out.append(Name(family, plain(" ".join(parts.first))))
    return out


def file_field_attachments(value: str, bib_dir: Path) -> list[Attachment]:
    """The readable files a BibTeX ``file`` field names (see the module's docstring for the dialects)."""
    value = value.replace("$\\backslash$", "\\")
    out = []
    for entry in _split_unescaped(value, ";"):
        parts = _split_unescaped(entry, ":")
        parts = _join_drive_letters(parts)
        if len(parts) >= 3:  # description:path:type (Zotero, JabRef, Mendeley)
            link, kind = ":".join(parts[1:-1]), parts[-1]
        elif len(parts) == 2 and "/" not in parts[0] and "\\" not in parts[0]:
            link, kind = parts[1], ""  # description:path
        else:
            link, kind = ":".join(parts), ""
        link = _ESCAPED.sub(r"\1", link).strip()
        if not link or (kind and "pdf" not in kind.lower() and not link.lower().endswith(READABLE_SUFFIXES)):
            continue  # a snapshot, a web page
        if not link.lower().endswith(READABLE_SUFFIXES) and not kind:
            continue
        out.append(_resolve(link, bib_dir))
    return out


def _split_unescaped(text: str, sep: str) -> list[str]:
    parts, current, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in ":;\\$":
            current.append(text[i:i + 2])  # kept escaped: unescaped once the path is cut out
            i += 2
            continue
        if ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts if any(p.strip() for p in parts) else []


def _join_drive_letters(parts: list[str]) -> list[str]:
    """``C`` + ``\\Users\\...`` back to ``C:\\Users\\...`` (a Windows path whose colon nobody escaped)."""
    out: list[str] = []
    for part in parts:
        if out and _DRIVE.match(out[-1].strip()) and part[:1] in ("\\", "/"):
            out[-1] = out[-1].strip() + ":" + part
        else:
            out.append(part)
    return out


def _resolve(link: str, bib_dir: Path) -> Attachment:
    """Where a linked file is: as given, relative to the .bib, or (Mendeley) with its leading slash put back."""
    if link.startswith("file://"):
        link = unquote(urlparse(link).path)
    candidates = [Path(link)] if Path(link).is_absolute() else [bib_dir / link, Path("/" + link)]
    for candidate in candidates:
        if candidate.is_file():
            return Attachment(candidate, str(candidate))
    return Attachment(None, link, "file not found")


# --- RIS ---

def _read_ris(path: Path, text: str) -> tuple[list[Record], list[str]]:
    import rispy

    try:
        entries = rispy.loads(text, skip_unknown_tags=True)
    except Exception as exc:  # rispy raises plain IOError/ValueError subclasses on broken files
        raise SourceError(f"{path}: not an RIS file we can read ({exc})") from None
    records = []
    for n, e in enumerate(entries, 1):
        links = []
        for key in ("file_attachments1", "file_attachments2", "figure"):
            value = e.get(key)
            links += value if isinstance(value, list) else [value] if value else []
        authors = [_name_from_text(a) for a in (e.get("authors") or e.get("first_authors") or [])]
        records.append(Record(
            key=str(e.get("id") or f"ris-{n}"), item_type=str(e.get("type_of_reference", "")).lower(),
            title=_first(e, "title", "primary_title"), authors=[a for a in authors if a.family or a.literal],
            year=_year(_first(e, "year", "publication_year", "date")),
            venue=_first(e, "journal_name", "secondary_title", "alternate_title3", "alternate_title1"),
            volume=_first(e, "volume"), issue=_first(e, "number"),
            pages="–".join(p for p in (_first(e, "start_page"), _first(e, "end_page")) if p),
            doi=_doi(_first(e, "doi")), url=(e.get("urls") or [""])[0] if isinstance(e.get("urls"), list) else "",
            abstract=_first(e, "abstract", "notes_abstract"), tags=list(e.get("keywords") or []),
            notes=[Note(f"ris-{n}:{i}", str(t)) for i, t in enumerate(e.get("notes") or []) if str(t).strip()],
            attachments=[_resolve(str(link).strip(), path.parent) for link in links
                         if str(link).strip().lower().endswith(READABLE_SUFFIXES)]))
    return records, []


def _first(entry: dict, *keys: str) -> str:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = value[0] if value else ""
        if value:
            return " ".join(str(value).split())
    return ""


def _name_from_text(text: str) -> Name:
    family, _, given = str(text).partition(",")
    if not given and " " in family.strip():
        given, _, family = family.strip().rpartition(" ")
    return Name(family.strip(), given.strip())


# --- CSL-JSON ---

def _read_csl_json(path: Path, text: str) -> tuple[list[Record], list[str]]:
    try:
        items = json.loads(text)
    except ValueError as exc:
        raise SourceError(f"{path}: not valid JSON ({exc})") from None
    if isinstance(items, dict):
        items = items.get("items", [items])
    if not isinstance(items, list):
        raise SourceError(f"{path}: not a CSL-JSON list of items")
    records, problems = [], []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            problems.append(f"{path}: item {n} is not an object")
            continue
        names = [Name.from_json(a) for a in item.get("author") or item.get("editor") or [] if isinstance(a, dict)]
        issued = item.get("issued") or {}
        parts = issued.get("date-parts") if isinstance(issued, dict) else None
        year = parts[0][0] if parts and isinstance(parts[0], list) and parts[0] else None
        records.append(Record(
            key=str(item.get("id") or f"csl-{n}"), item_type=str(item.get("type", "")),
            title=_text(item.get("title")), authors=[a for a in names if a.family or a.literal],
            year=int(year) if isinstance(year, (int, str)) and str(year).isdigit() else
            _year(_text(issued.get("raw") if isinstance(issued, dict) else "")),
            venue=_text(item.get("container-title")), volume=_text(item.get("volume")),
            issue=_text(item.get("issue")), pages=_text(item.get("page")), doi=_doi(_text(item.get("DOI"))),
            url=_text(item.get("URL")), abstract=_text(item.get("abstract")),
            citation_key=_text(item.get("citation-key") or item.get("id"))))
    return records, problems


def _text(value: object) -> str:
    return " ".join(str(value).split()) if isinstance(value, (str, int)) else ""


# --- shared ---

def _year(text: str) -> int | None:
    match = _YEAR.search(text or "")
    return int(match.group(1)) if match else None


def _doi(text: str) -> str:
    match = re.search(r"10\.\d{4,9}/\S+", text or "")
    return match.group(0).rstrip(".,;") if match else ""


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", text or "") if part.strip()]
