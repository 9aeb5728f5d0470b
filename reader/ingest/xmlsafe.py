"""Safe XML parsing for untrusted files.

The rules: never read a local file, never touch the network, never expand user-declared entities (so a
"billion laughs" file cannot blow up), never load a DTD. The DOCTYPE (with any internal subset) is cut
out before lxml sees the text, so there is nothing left for lxml to resolve. Named character entities
that JATS takes from its DTDs (``&mdash;``, ``&nbsp;``, Greek letters, ...) are replaced by their
characters first, from the standard library's HTML5 table, so they are neither lost nor shown raw.

After parsing, namespace prefixes are dropped from tag names (``mml:math`` becomes ``math``) so loaders
can use plain names; ``xlink:href`` stays reachable through :func:`xlink_href`.
"""
from __future__ import annotations

import codecs
import re
from html.entities import html5

from lxml import etree

from reader.errors import ParseError, UnsupportedFormat

_XML_BUILTINS = frozenset({"amp", "lt", "gt", "quot", "apos"})
# A replacement character that is itself markup must go back in as a built-in reference.
_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}

# CDATA sections and comments are matched (and kept as they are) so that an entity-like string inside
# them is not rewritten; everything else that looks like ``&name;`` is a named entity reference.
# (an unclosed comment or CDATA runs to the end of the file in one match: linear, never re-scanned)
_ENTITY_OR_SKIP = re.compile(r"<!\[CDATA\[.*?(?:\]\]>|\Z)|<!--.*?(?:-->|\Z)|&([A-Za-z_][A-Za-z0-9._-]{0,63});", re.S)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_ENCODING_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_ERROR_POSITION = re.compile(r",? line \d+, column \d+$")
_MAX_REASON = 120


def decode_xml(data: bytes) -> str:
    """Decode an XML file's bytes to text: BOM first, then the declared encoding, then UTF-8.

    A file that declares no encoding and is not UTF-8 is read as Windows-1252, because loose records
    exported from old systems often are. Raises ParseError for empty input, UnsupportedFormat for
    binary data.
    """
    if not data.strip():
        raise ParseError("empty file")
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise ParseError(f"malformed XML: not valid {codec} text") from exc
    if b"\x00" in data:
        raise UnsupportedFormat("not XML (binary data)")
    declared = _ENCODING_DECL.match(data)
    codec = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return data.decode(codec)
    except LookupError as exc:
        raise ParseError(f"malformed XML: unknown encoding {codec!r}") from exc
    except UnicodeDecodeError as exc:
        if declared:
            raise ParseError(f"malformed XML: not valid {codec} text") from exc
        return data.decode("cp1252", errors="replace")


def _replace_entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name is None or name in _XML_BUILTINS:
        return match.group(0)
    chars = html5.get(name + ";")
    if chars is None:
        return "&amp;" + name + ";"  # unknown: keep it visible as text rather than fail or drop it
    return "".join(_XML_ESCAPES.get(c, c) for c in chars)


def replace_named_entities(text: str) -> str:
    """Replace named entity references (other than the 5 XML built-ins) by their characters.

    Unknown names are escaped so they read as literal text (``&foo;`` becomes ``&amp;foo;``).
    """
    if "&" not in text:
        return text
    return _ENTITY_OR_SKIP.sub(_replace_entity, text)


def _skip_markup(text: str, i: int, close: str) -> int:
    """Index just past ``close`` starting at ``i``; raise if it never comes."""
    end = text.find(close, i)
    if end < 0:
        raise ParseError("malformed XML: unterminated DOCTYPE")
    return end + len(close)


def _doctype_span(text: str) -> tuple[int, int] | None:
    """Where the DOCTYPE declaration in the prolog is (internal subset included), if there is one."""
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if text.startswith("<?", i):
            i = _skip_markup(text, i, "?>")
        elif text.startswith("<!--", i):
            i = _skip_markup(text, i, "-->")
        elif text[i:i + 9].upper() == "<!DOCTYPE":
            break
        else:
            return None  # the first element (or text) came before any DOCTYPE
    else:
        return None
    start, j, quote, depth = i, i + 9, "", 0
    # Scan to the closing '>' that is outside quotes and outside the [internal subset].
    while j < n:
        c = text[j]
        if quote:
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif depth and text.startswith("<!--", j):
            j = _skip_markup(text, j, "-->")
            continue
        elif c == "[":
            depth += 1
        elif c == "]":
            depth = max(0, depth - 1)
        elif c == ">" and not depth:
            return start, j + 1
        j += 1
    raise ParseError("malformed XML: unterminated DOCTYPE")


def strip_doctype(text: str) -> str:
    """Remove the DOCTYPE declaration, internal subset included; newlines are kept so error lines match."""
    span = _doctype_span(text)
    if span is None:
        return text
    start, end = span
    return text[:start] + "\n" * text.count("\n", start, end) + text[end:]


def _reason(exc: etree.XMLSyntaxError) -> str:
    msg = _ERROR_POSITION.sub("", (exc.msg or "syntax error").strip())
    if msg.startswith("Excessive depth"):
        msg = "elements nested too deeply"  # libxml2's own text suggests an option we refuse on purpose
    line = exc.position[0] if exc.position else exc.lineno
    reason = f"malformed XML: line {line}: {msg}" if line else f"malformed XML: {msg}"
    return reason if len(reason) <= _MAX_REASON else reason[:_MAX_REASON - 1] + "…"


def _make_parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parsers must not be shared between threads.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           dtd_validation=False, recover=False, remove_comments=True, remove_pis=True)


def parse_xml(data: bytes | str, *, wrap_root: str | None = None) -> etree._Element:
    """Parse untrusted XML safely and return its root with namespace prefixes stripped from tags.

    ``data`` is the file's bytes (or text already decoded). ``wrap_root`` wraps the content (after the
    XML declaration and DOCTYPE) in ``<wrap_root>...</wrap_root>``, for files with several top-level
    elements. Raises ParseError with a short reason for empty, binary or malformed input.
    """
    text = decode_xml(data) if isinstance(data, bytes) else data
    if not text.strip():
        raise ParseError("empty file")
    # The declaration goes: the text is already decoded, and lxml refuses str input that declares one.
    text = _XML_DECL.sub("", text, count=1)
    text = replace_named_entities(strip_doctype(text))
    if wrap_root:
        text = f"<{wrap_root}>{text}</{wrap_root}>"
    try:
        root = etree.fromstring(text.encode("utf-8"), _make_parser())
    except etree.XMLSyntaxError as exc:
        raise ParseError(_reason(exc)) from None
    if root is None:
        raise ParseError("malformed XML: no root element")
    strip_namespaces(root)
    return root


def strip_namespaces(root: etree._Element) -> None:
    """Rename ``{namespace}tag`` to ``tag`` in place (attributes keep their namespaces)."""
    for el in root.iter():
        tag = el.tag
        if isinstance(tag, str) and tag[0] == "{":
            el.tag = tag.rsplit("}", 1)[1]


def local_attr(el: etree._Element, name: str, default: str = "") -> str:
    """An attribute by its local name, whatever namespace it is in (``href`` finds ``xlink:href``)."""
    value = el.get(name)
    if value is not None:
        return value
    suffix = "}" + name
    for key, value in el.attrib.items():
        if key.endswith(suffix):
            return value
    return default


def xlink_href(el: etree._Element) -> str:
    """The element's ``xlink:href`` (or a plain ``href``), or ``""``."""
    return local_attr(el, "href")
