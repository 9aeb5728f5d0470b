"""Loose journal records (no root element, custom tags, mangled entities) and the XML dispatcher."""
from __future__ import annotations

from pathlib import Path

import pytest

from reader.errors import ParseError
from reader.ingest.xml import load_xml
from reader.ingest.xmlrecord import demangle_entities, load_xml_record, parse_record, split_name
from reader.model import Name, Paper

REPO_ROOT = Path(__file__).resolve().parents[2]
# the seed record as shipped in the sample library (a byte-identical copy of shared/seeds/002_...txt)
SEED = REPO_ROOT / "library" / "gadi-2023-afghanistan-pakistan-relations-after-withdrawal.xml"


@pytest.fixture(scope="module")
def seed() -> Paper:
    return load_xml(SEED.read_bytes(), str(SEED))


# -- entity repair -------------------------------------------------------------------------------

@pytest.mark.parametrize(("mangled", "xml"), [
    ("the Taliban__ampersandsign#39;s rise", "the Taliban&#39;s rise"),
    ("a __doublequotosingpatron__doublequotosing of", "a &quot;patron&quot; of"),
    ("Talibanand;#39;s Godfather", "Taliban&#39;s Godfather"),
    ("Small Wars and; Insurgencies", "Small Wars &amp; Insurgencies"),
    ("Ahmed, R. and; Younus, U.", "Ahmed, R. &amp; Younus, U."),
    # Any numeric reference, not just #39; hex too; and named ones HTML knows.
    ("Afghanistan__ampersandsign#8217;s", "Afghanistan&#8217;s"),
    ("it__ampersandsign#x2019;s", "it&#x2019;s"),
    ("Pakistanand;#8217;s and Indiaand;#x2019;s", "Pakistan&#8217;s and India&#x2019;s"),
    ("and;quot;x and;quot;", "&quot;x &quot;"),
    ("R__ampersandsignD", "R&amp;D"),
    # Words that merely end in "and;" are left alone, and so is ordinary text.
    ("the brand; the band; and the end", "the brand; the band; and the end"),
    ("plain text", "plain text"),
])
def test_demangle_entities(mangled: str, xml: str) -> None:
    assert demangle_entities(mangled) == xml


def test_demangled_text_parses_to_the_characters() -> None:
    root = parse_record(b"<A>Taliban__ampersandsign#39;s and;#39; __doublequotosingx__doublequotosing "
                        b"Wars and; Co</A><B a='__singlequotosing'/>")
    assert root.find("A").text == "Taliban's ' \"x\" Wars & Co"
    assert root.find("B").get("a") == "'"


def test_split_name() -> None:
    assert split_name("Ido Gadi") == Name("Gadi", "Ido")
    assert split_name("Gadi, Ido") == Name("Gadi", "Ido")
    assert split_name("Ludwig van Beethoven") == Name("van Beethoven", "Ludwig")
    assert split_name("Plato") == Name("Plato")


# -- the seed record -----------------------------------------------------------------------------

def test_seed_metadata(seed: Paper) -> None:
    assert seed.format == "xml"
    assert seed.title == "Against all Expectations: Afghanistan-Pakistan Relations after the American Withdrawal"
    assert seed.authors == [Name(family="Gadi", given="Ido")]
    assert seed.year == 2023  # <Season>Apr-May 2023</Season>
    assert (seed.volume, seed.issue) == ("4", "1")  # <Volume-Issue>Volume 4 Issue 1</Volume-Issue>
    assert seed.keywords == ["Afghanistan", "Pakistan", "Taliban", "India", "TTP", "terrorism", "jihad",
                             "foreign relations", "al-Qaeda"]
    # The second <Abstract> holds only a link: the landing page, not the abstract.
    assert seed.url == ("https://ejsss.net.in/ubijournal-v1copy/journals/abstract.php?article_id=14621&title="
                        "Against all Expectations: Afghanistan-Pakistan Relations after the American Withdrawal")


def test_seed_abstract(seed: Paper) -> None:
    a = seed.abstract
    assert a.startswith("Many researchers, policymakers, and officials in Pakistan")
    assert "Taliban's renewed rise" in a
    assert '"patron"' in a and '"surprising"' in a
    assert "organization's transformation" in a
    assert "__" not in a and "https://" not in a
    assert a.endswith("led to incidents along the border with the Pakistani forces.")


def test_seed_references(seed: Paper) -> None:
    refs = seed.references
    assert len(refs) == 39  # 38 "&#13;" separators, and the last entry has none
    assert [r.id for r in refs] == [f"r{i}" for i in range(1, 40)]
    assert refs[0].raw.startswith("Aamaj News (2022).")
    assert refs[-1].raw.startswith("Walman, M. (2010). The Sun in the Sky")
    assert any("Taliban's Godfather" in r.raw for r in refs)
    assert any("Small Wars & Insurgencies" in r.raw for r in refs)
    assert refs[2].raw == "Ahmed, R. & Younus, U. (2023). With No Help from Kabul, Pakistan Faces the TTP Threat, " \
                          "New Lines Institute."
    assert "Current Trends & Future Challenges" in refs[7].raw
    for r in refs:
        assert seed.text[r.start:r.end] == r.raw
        assert "  " not in r.raw and r.raw == r.raw.strip()
        assert not r.author and not r.issued and not r.title  # left to the citation engine


def test_seed_text(seed: Paper) -> None:
    assert "and;" not in seed.text and "__" not in seed.text
    kinds = [b.kind for b in seed.blocks]
    assert kinds == ["title", "heading", "abstract", "heading"] + ["reference"] * 39
    assert seed.headings() == ["Abstract", "References"]
    assert seed.block_text(seed.blocks[0]) == seed.title
    assert "al-Qaeda" not in seed.text  # keywords are metadata only


# -- other records -------------------------------------------------------------------------------

def test_record_with_common_tag_variants() -> None:
    data = b"""<?xml version="1.0"?>
<Title>A Study of Things</Title>
<JournalTitle>Journal of Stuff</JournalTitle>
<Author><FirstName>Ada</FirstName><LastName>Lovelace</LastName></Author>
<Author><FirstName>Charles</FirstName><LastName>Babbage</LastName></Author>
<Year>1843</Year>
<DOI>https://doi.org/10.1000/abc.1</DOI>
<Abstract>First paragraph.

Second paragraph.</Abstract>
<Keywords>engines; notes; Engines</Keywords>
<References><Reference>Menabrea, L. F. (1842). Sketch.</Reference><Reference>  Other   entry. </Reference></References>
"""
    p = load_xml(data, "r.xml")
    assert p.format == "xml"
    assert (p.title, p.venue, p.year, p.doi) == ("A Study of Things", "Journal of Stuff", 1843, "10.1000/abc.1")
    assert p.authors == [Name("Lovelace", "Ada"), Name("Babbage", "Charles")]
    assert p.keywords == ["engines", "notes"]
    assert p.abstract == "First paragraph.\n\nSecond paragraph."
    assert [r.raw for r in p.references] == ["Menabrea, L. F. (1842). Sketch.", "Other entry."]


def test_record_without_carriage_returns_splits_references_by_line() -> None:
    data = b"<ArticleTitle>T</ArticleTitle><References>One.\nTwo.\n\nThree.</References>"
    p = load_xml_record(parse_record(data), data, "x.xml")
    assert [r.raw for r in p.references] == ["One.", "Two.", "Three."]


def test_an_abstract_that_is_only_a_url_is_never_the_abstract() -> None:
    data = b"<ArticleTitle>T</ArticleTitle><Abstract>https://example.org/landing?id=1&amp;t=A B</Abstract>"
    p = load_xml(data, "x.xml")
    assert p.abstract == "" and "Abstract" not in p.headings()
    assert p.url == "https://example.org/landing?id=1&t=A B"


# -- the dispatcher ------------------------------------------------------------------------------

def test_jats_articles_go_to_the_jats_loader() -> None:
    data = (b'<?xml version="1.0"?><!DOCTYPE article PUBLIC "-//NLM//DTD JATS//EN" "JATS.dtd">'
            b"<article><front><article-meta><title-group><article-title>J</article-title></title-group>"
            b"</article-meta></front><body><p>Text.</p></body></article>")
    assert load_xml(data, "a.xml").format == "jats"
    wrapped = b"<pmc-articleset>" + data.split(b"?>", 1)[1].split(b">", 1)[1] + b"</pmc-articleset>"
    assert load_xml(wrapped, "b.xml").format == "jats"


def test_a_single_root_record_is_a_record() -> None:
    p = load_xml(b"<Article><ArticleTitle>Solo</ArticleTitle></Article>", "s.xml")
    assert (p.format, p.title) == ("xml", "Solo")


def test_no_article_content_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="^no article content found$"):
        load_xml(b"<Volume>3</Volume><Issue>1</Issue>", "e.xml")


@pytest.mark.parametrize("data", [
    b"<ArticleTitle>Truncated</ArticleTitle><Abstract>never clo",
    b'<?xml version="1.0"?><article><front><article-meta><title-group><article-title>Cut',
])
def test_truncated_files_are_parse_errors(data: bytes) -> None:
    with pytest.raises(ParseError) as info:
        load_xml(data, "t.xml")
    assert str(info.value).startswith("malformed XML: line ")


def test_empty_and_binary_files_are_parse_errors() -> None:
    with pytest.raises(ParseError, match="^empty file$"):
        load_xml(b"", "e.xml")
    with pytest.raises(ParseError):
        load_xml(b"\x00\x01\x02PK\x03\x04 junk", "j.xml")
