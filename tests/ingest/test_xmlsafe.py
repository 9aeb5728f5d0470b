"""Safe XML parsing: entities, DOCTYPEs, hostile input, malformed input."""
from __future__ import annotations

import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from reader.errors import ParseError
from reader.ingest.xmlsafe import parse_xml, replace_named_entities, strip_doctype, xlink_href

JATS_DOCTYPE = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) '
                b'Journal Archiving and Interchange DTD v1.1d1 20130915//EN" "JATS-archivearticle1.dtd">\n')


def text_of(root: etree._Element) -> str:
    return "".join(root.itertext())


# -- character entities --------------------------------------------------------------------------

def test_jats_character_entities_become_characters() -> None:
    root = parse_xml(JATS_DOCTYPE + b"<article><p>a&mdash;b&nbsp;c&hellip; 5&ndash;7 &alpha;&beta;&Delta;"
                                    b" &lsqb;1&rsqb; &plus;</p></article>")
    assert text_of(root) == "a\u2014b\u00a0c\u2026 5\u20137 \u03b1\u03b2\u0394 [1] +"


def test_xml_builtins_are_untouched_and_unknown_entities_stay_visible() -> None:
    root = parse_xml(b"<a>&amp; &lt;b&gt; &quot;q&quot; &apos; &foo; &#8212; &#x3bb;</a>")
    assert root.text == "& <b> \"q\" ' &foo; \u2014 \u03bb"


def test_entities_that_stand_for_markup_characters_do_not_break_the_document() -> None:
    # HTML5 knows &AMP; &LT; &QUOT; too; they must come back as characters, not as markup.
    root = parse_xml(b'<a t="x&QUOT;y">&AMP; &LT;b/&GT;</a>')
    assert root.text == "& <b/>"
    assert root.get("t") == 'x"y'


def test_cdata_and_comments_are_left_alone() -> None:
    assert replace_named_entities("<![CDATA[&mdash;]]>&mdash;<!-- &mdash; -->") == (
        "<![CDATA[&mdash;]]>\u2014<!-- &mdash; -->")
    assert parse_xml(b"<a><![CDATA[&mdash;]]></a>").text == "&mdash;"


# -- DOCTYPE and hostile input -------------------------------------------------------------------

def test_external_entity_to_etc_passwd_is_not_read() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    root = parse_xml(data)
    assert "root:" not in etree.tostring(root, encoding=str)
    assert root.text == "&e;"


def test_external_entity_and_dtd_pointing_at_a_local_file_are_never_read(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-4711")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY leak SYSTEM "{secret.as_uri()}">')
    payloads = [
        f'<!DOCTYPE x [<!ENTITY e SYSTEM "{secret.as_uri()}">]><x>&e;</x>',
        f'<!DOCTYPE x [<!ENTITY e SYSTEM "{secret}">]><x>&e;</x>',
        f'<!DOCTYPE x [<!ENTITY % p SYSTEM "{dtd.as_uri()}"> %p;]><x>&leak;</x>',
        f'<!DOCTYPE x SYSTEM "{dtd.as_uri()}"><x>&leak;</x>',
        f'<!DOCTYPE x [<!ENTITY e SYSTEM "{secret.as_uri()}">]><x a="&e;">t</x>',
    ]
    for payload in payloads:
        try:
            root = parse_xml(payload.encode())
        except ParseError:
            continue  # refusing is fine too; reading the file is not
        assert "TOP-SECRET" not in etree.tostring(root, encoding=str)


def test_network_entities_are_not_fetched() -> None:
    # Port 9 on localhost: if anything tried to fetch it, this would hang or fail; it must do neither.
    start = time.perf_counter()
    root = parse_xml(b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd" [<!ENTITY e SYSTEM '
                     b'"http://127.0.0.1:9/e">]><x>&e;</x>')
    assert root.text == "&e;"
    assert time.perf_counter() - start < 5  # expansion would take minutes or memory


def test_billion_laughs_does_not_expand() -> None:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)]
    data = f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(levels)}]><lolz>&lol9;</lolz>'.encode()
    start = time.perf_counter()
    try:
        root = parse_xml(data)
    except ParseError:
        root = None
    assert time.perf_counter() - start < 5  # expansion would take minutes or memory
    if root is not None:
        assert len(etree.tostring(root)) < 1000


def test_quadratic_blowup_does_not_expand() -> None:
    big = "A" * 50_000
    data = f'<!DOCTYPE x [<!ENTITY a "{big}">]><x>{"&a;" * 5000}</x>'.encode()
    start = time.perf_counter()
    root = parse_xml(data)
    assert time.perf_counter() - start < 5  # expansion would take minutes or memory
    assert len(root.text or "") < 50_000


def test_doctype_with_tricky_internal_subset_is_removed_whole() -> None:
    text = '<?xml version="1.0"?>\n<!DOCTYPE x [\n<!ENTITY a "b>]c">\n<!-- ] > -->\n]>\n<x>ok</x>'
    stripped = strip_doctype(text)
    assert "ENTITY" not in stripped and stripped.endswith("<x>ok</x>")
    assert stripped.count("\n") == text.count("\n")  # line numbers in error messages stay right
    assert parse_xml(text.encode()).text == "ok"


# -- malformed input -----------------------------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"   \n\t ", b"\xef\xbb\xbf"])
def test_empty_input_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError, match="^empty file$"):
        parse_xml(data)


def test_truncated_xml_is_a_short_parse_error_with_a_line() -> None:
    data = JATS_DOCTYPE + b"<article>\n<front>\n<article-meta><title-group><article-title>Trunc"
    with pytest.raises(ParseError) as info:
        parse_xml(data)
    message = str(info.value)
    assert message.startswith("malformed XML: line ")
    assert "Premature end of data" in message
    assert len(message) < 130 and "\n" not in message


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    random.Random(7).randbytes(4000),
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj",
    b"just some words, not markup",
    b"<a><b></a>",
])
def test_junk_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError) as info:
        parse_xml(data)
    assert 0 < len(str(info.value)) < 130


def test_unterminated_doctype_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="DOCTYPE"):
        parse_xml(b'<!DOCTYPE x [ <!ENTITY a "b"> <x/>')


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_either_parse_or_raise_parse_error(data: bytes) -> None:
    try:
        parse_xml(data)
    except ParseError:
        pass


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=200))
def test_escaped_text_round_trips(text: str) -> None:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    root = parse_xml(f"<a>{escaped}</a>".encode())
    assert (root.text or "") == text.replace("\r\n", "\n").replace("\r", "\n")


# -- wrapping, encodings, namespaces -------------------------------------------------------------

def test_wrap_root_wraps_several_top_level_elements() -> None:
    data = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE article PUBLIC "x" "JATS-journalpublishing1.dtd">\n'
            b"  <Title>T</Title>\n  <Abstract>A</Abstract>\n")
    with pytest.raises(ParseError, match="Extra content"):
        parse_xml(data)
    root = parse_xml(data, wrap_root="record")
    assert root.tag == "record"
    assert [c.tag for c in root] == ["Title", "Abstract"]


def test_declared_encoding_and_bom_are_honoured() -> None:
    assert parse_xml('<?xml version="1.0" encoding="ISO-8859-1"?><a>café</a>'.encode("latin-1")).text == "café"
    assert parse_xml(b"\xef\xbb\xbf<a>caf\xc3\xa9</a>").text == "café"
    assert parse_xml("<a>café</a>".encode("utf-16")).text == "café"


def test_namespace_prefixes_are_stripped_and_xlink_href_stays_readable() -> None:
    root = parse_xml(b'<article xmlns:mml="http://www.w3.org/1998/Math/MathML" '
                     b'xmlns:xlink="http://www.w3.org/1999/xlink"><mml:math><mml:mi>x</mml:mi></mml:math>'
                     b'<ext-link xlink:href="https://example.org/">site</ext-link></article>')
    assert [el.tag for el in root.iter()] == ["article", "math", "mi", "ext-link"]
    assert xlink_href(root.find("ext-link")) == "https://example.org/"


def test_absurdly_deep_nesting_is_a_parse_error() -> None:
    data = b"<a>" + b"<b>" * 5000 + b"</b>" * 5000 + b"</a>"
    with pytest.raises(ParseError, match="nested too deeply"):
        parse_xml(data)
