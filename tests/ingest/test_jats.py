"""The JATS loader, on a small hand-made article and on real eLife, PLOS, BMC and Oncotarget articles.

Every expected value below was read off the XML source by hand (ids, labels, authors, titles).
"""
from __future__ import annotations

import re
import time
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree

from reader.ingest.jats import load_jats
from reader.ingest.xml import load_xml
from reader.ingest.xmlsafe import parse_xml
from reader.model import Citation, Name, Paper

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
JATS_DIR = SHARED / "corpus" / "jats"
PDF_DIR = SHARED / "corpus" / "pdf"


def corpus_file(name: str) -> Path:
    path = JATS_DIR / name
    if not path.exists():
        pytest.skip(f"needs the shared corpus beside the repo ({path} not found)")
    return path


@lru_cache(maxsize=None)
def _load(name: str) -> Paper:
    path = corpus_file(name)
    return load_xml(path.read_bytes(), str(path))


def load(name: str) -> Paper:
    return _load(name)


def check_invariants(paper: Paper) -> None:
    """What every JATS paper must satisfy: exact spans, resolvable items, no empty markers."""
    ids = {r.id for r in paper.references}
    assert [r.id for r in paper.references] == [f"r{i}" for i in range(1, len(paper.references) + 1)]
    for c in paper.citations:
        assert c.end > c.start
        assert paper.text[c.start:c.end] == c.text
        assert c.items
        for item in c.items:
            assert set(item.refs) <= ids
    for ref in paper.references:
        if ref.start >= 0:
            assert paper.text[ref.start:ref.end] == ref.raw
    for b in paper.blocks:
        assert 0 <= b.start < b.end <= len(paper.text)


def find_citation(paper: Paper, text: str, after: str = "") -> Citation:
    for c in paper.citations:
        if c.text == text and paper.text[:c.start].endswith(after):
            return c
    raise AssertionError(f"no citation {text!r} after {after!r}")


def all_refs(c: Citation) -> list[str]:
    return [r for item in c.items for r in item.refs]


def written_bibr_xrefs(path: Path) -> tuple[int, set[str]]:
    """Non-empty bibr xrefs the reading text should hold (supplementary files are not part of it; table
    cells are), counted straight from the XML with plain lxml, and the ids they point to."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    root = etree.fromstring(path.read_bytes(), parser)
    skipped = {"supplementary-material", "ref-list", "contrib-group", "title-group"}
    count, rids = 0, set()
    for x in root.iter("xref"):
        if x.get("ref-type") != "bibr" or not "".join(x.itertext()).strip():
            continue
        if any(etree.QName(a).localname in skipped for a in x.iterancestors()):
            continue
        count += 1
        rids.update(x.get("rid", "").split())
    return count, rids


def check_coverage(name: str) -> None:
    """Each written xref is one citation, except numeric ranges, where two xrefs make one."""
    paper = load(name)
    path = corpus_file(name)
    count, rids = written_bibr_xrefs(path)
    xml_ids = [el.get("id") for el in etree.fromstring(
        path.read_bytes(), etree.XMLParser(resolve_entities=False, load_dtd=False)).iter("{*}ref")]
    to_ref = {xml_id: f"r{i}" for i, xml_id in enumerate(xml_ids, 1)}
    merged = sum(1 for c in paper.citations if c.text != c.items[0].label)
    assert len(paper.citations) + merged == count
    cited = {r for c in paper.citations for r in all_refs(c)}
    assert {to_ref[r] for r in rids} <= cited


# -- a small hand-made article --------------------------------------------------------------------

HANDMADE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.1d1 20130915//EN" "JATS-archivearticle1.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:mml="http://www.w3.org/1998/Math/MathML">
<front>
<journal-meta><journal-title-group><journal-title>Journal of Tests</journal-title></journal-title-group>
<issn>1234-5678</issn></journal-meta>
<article-meta>
<article-id pub-id-type="doi">10.1234/test.1</article-id>
<title-group><article-title>Dashes&mdash;and&nbsp;spaces<xref ref-type="fn" rid="fn1">*</xref></article-title></title-group>
<contrib-group>
<contrib contrib-type="author"><name><surname>Doe</surname><given-names>Jane A</given-names></name><xref ref-type="aff" rid="a1">1</xref></contrib>
<contrib contrib-type="author"><collab>The Test Consortium</collab></contrib>
<contrib contrib-type="editor"><name><surname>Ed</surname><given-names>E</given-names></name></contrib>
</contrib-group>
<pub-date pub-type="collection"><year>2020</year></pub-date>
<pub-date pub-type="epub"><day>3</day><month>4</month><year>2019</year></pub-date>
<volume>5</volume><issue>2</issue>
<kwd-group><kwd>Citations</kwd><kwd>parsing</kwd><kwd>citations</kwd></kwd-group>
<abstract><object-id pub-id-type="doi">10.1234/test.1.001</object-id>
<p>First abstract paragraph cites <xref ref-type="bibr" rid="b2">[2]</xref>.</p><p>Second&hellip;</p>
<p><bold>DOI:</bold> <ext-link ext-link-type="doi" xlink:href="10.1234/test.1.001">http://dx.doi.org/10.1234/test.1.001</ext-link></p></abstract>
<abstract abstract-type="executive-summary"><title>Digest</title><p>Plain words.</p></abstract>
</article-meta></front>
<body>
<sec><title>Introduction</title>
<p>Known <xref ref-type="bibr" rid="b1">[1]</xref>, ranges <xref ref-type="bibr" rid="b1">[1]</xref>&ndash;<xref ref-type="bibr" rid="b3">[3]</xref> and a list:<list list-type="bullet"><list-item><p>item one</p></list-item><list-item><p>item two <xref ref-type="bibr" rid="b4">[4]</xref></p></list-item></list> after the list.</p>
<sec><title>Details</title><p>Formula <inline-formula><mml:math><mml:mi>x</mml:mi><mml:mo>=</mml:mo><mml:mn>1</mml:mn></mml:math></inline-formula> inline, circuit (<inline-formula><inline-graphic xlink:href="e42.gif"/></inline-formula>) and <inline-formula><tex-math>$\\alpha$</tex-math></inline-formula>.</p>
<disp-formula><mml:math><mml:mi>zeta</mml:mi></mml:math></disp-formula>
<fig id="f1"><label>Figure 1</label><caption><title>A figure.</title><p>Caption cites <xref ref-type="bibr" rid="b2 b4 nope">[2,4]</xref>.</p></caption><graphic xlink:href="f1.tif"/></fig>
<table-wrap id="t1"><label>Table 1.</label><caption><p>Table caption.</p></caption><table><thead><tr><th>Name</th><th>Value</th></tr></thead><tbody><tr><td>cell text <xref ref-type="bibr" rid="b1">[1]</xref> </td><td>2.5</td></tr></tbody></table><table-wrap-foot><fn><p>Footnote.</p></fn></table-wrap-foot></table-wrap>
<supplementary-material><caption><p>Supp text</p></caption></supplementary-material>
</sec></sec>
<sec><label>2.</label><title>Empty xref</title><p>See [<xref ref-type="bibr" rid="b1">1</xref><xref ref-type="bibr" rid="b2"/>-<xref ref-type="bibr" rid="b3">3</xref>].</p></sec>
</body>
<back><ack><p>Thanks.</p></ack>
<ref-list><title>References</title>
<ref id="b1"><label>1</label><element-citation publication-type="journal"><person-group person-group-type="author"><name><surname>Smith</surname><given-names>AB</given-names></name><name><surname>Jones</surname><given-names>C</given-names></name><etal/></person-group><year>2012a</year><article-title>A title</article-title><source>J Things</source><volume>5</volume><issue>3</issue><fpage>158</fpage><lpage>63</lpage><pub-id pub-id-type="doi">10.1000/xyz</pub-id><pub-id pub-id-type="pmid">123</pub-id></element-citation></ref>
<ref id="b2"><label>2</label><mixed-citation publication-type="book"><person-group person-group-type="author"><collab>WHO</collab></person-group> (<year>2010</year>) <source>Big Book</source>. <publisher-loc>Geneva</publisher-loc>: <publisher-name>WHO Press</publisher-name>. <ext-link ext-link-type="uri" xlink:href="http://who.int/book">http://who.int/book</ext-link></mixed-citation></ref>
<ref id="b3"><label>3</label><element-citation publication-type="book"><person-group person-group-type="author"><name><surname>Roe</surname><given-names>R</given-names></name></person-group><person-group person-group-type="editor"><name><surname>Ed</surname><given-names>E</given-names></name></person-group><year>2001</year><chapter-title>A chapter</chapter-title><source>The Book</source><publisher-loc>Berlin</publisher-loc><publisher-name>Springer</publisher-name><fpage>1</fpage><lpage>10</lpage></element-citation></ref>
<ref id="b4"><label>4</label><element-citation publication-type="software"><person-group person-group-type="author"><name><surname>Dev</surname><given-names>D</given-names></name></person-group><year>2015</year><source>toolkit</source><ext-link ext-link-type="uri" xlink:href="https://example.org/tool">https://example.org/tool</ext-link></element-citation></ref>
</ref-list></back></article>
"""


@pytest.fixture(scope="module")
def handmade() -> Paper:
    return load_jats(parse_xml(HANDMADE), HANDMADE, "handmade.xml")


def test_handmade_metadata(handmade: Paper) -> None:
    p = handmade
    assert p.format == "jats" and len(p.id) == 16
    assert p.title == "Dashes\u2014and\u00a0spaces"  # entities as characters, footnote marker dropped
    assert p.authors == [Name("Doe", "Jane A"), Name(literal="The Test Consortium")]
    assert p.year == 2019
    assert (p.venue, p.issn, p.doi, p.volume, p.issue) == ("Journal of Tests", "1234-5678", "10.1234/test.1",
                                                           "5", "2")
    assert p.keywords == ["Citations", "parsing"]
    assert p.abstract == "First abstract paragraph cites [2].\n\nSecond\u2026"


def test_handmade_blocks(handmade: Paper) -> None:
    p = handmade
    blocks = [(b.kind, b.level, p.block_text(b)) for b in p.blocks]
    assert blocks == [
        ("title", 0, "Dashes\u2014and spaces"),
        ("heading", 1, "Abstract"),
        ("abstract", 0, "First abstract paragraph cites [2]."),
        ("abstract", 0, "Second\u2026"),
        ("heading", 1, "Digest"),
        ("paragraph", 0, "Plain words."),
        ("heading", 1, "Introduction"),
        ("paragraph", 0, "Known [1], ranges [1]\u2013[3] and a list:"),
        ("paragraph", 0, "item one"),
        ("paragraph", 0, "item two [4]"),
        ("paragraph", 0, "after the list."),
        ("heading", 2, "Details"),
        ("paragraph", 0, "Formula x=1 inline, circuit ([formula]) and $\\alpha$."),
        ("figure", 0, "Figure 1. A figure. Caption cites [2,4]."),
        ("table", 0, "Name\tValue\ncell text [1]\t2.5"),
        ("caption", 0, "Table 1. Table caption."),
        ("footnote", 0, "Footnote."),
        ("heading", 1, "2. Empty xref"),
        ("paragraph", 0, "See [1-3]."),
        ("heading", 1, "Acknowledgements"),
        ("paragraph", 0, "Thanks."),
        ("heading", 1, "References"),
        ("reference", 0, "Smith AB, Jones C, et al. 2012a. A title. J Things 5(3):158\u201363. doi: 10.1000/xyz"),
        ("reference", 0, "WHO (2010) Big Book. Geneva: WHO Press. http://who.int/book"),
        ("reference", 0, "Roe R. 2001. A chapter. In: Ed E, editor. The Book, 1\u201310. Berlin: Springer"),
        ("reference", 0, "Dev D. 2015. toolkit. https://example.org/tool"),
    ]
    assert [b.src for b in p.blocks if b.kind == "figure"] == ["f1.tif"]
    for skipped in ("Supp text", "zeta", "DOI:"):
        assert skipped not in p.text


def test_handmade_references(handmade: Paper) -> None:
    r1, r2, r3, r4 = handmade.references
    assert r1.author == [Name("Smith", "AB"), Name("Jones", "C")]  # <etal/> is not an author
    assert (r1.issued, r1.year_suffix, r1.type) == ([2012], "a", "article-journal")
    assert (r1.title, r1.container_title, r1.volume, r1.issue, r1.page) == ("A title", "J Things", "5", "3",
                                                                             "158-63")
    assert (r1.DOI, r1.PMID, r1.citation_number) == ("10.1000/xyz", "123", "1")
    assert r2.author == [Name(literal="WHO")]
    assert (r2.type, r2.title, r2.container_title) == ("book", "Big Book", "")
    assert (r2.publisher, r2.publisher_place, r2.URL) == ("WHO Press", "Geneva", "http://who.int/book")
    assert (r3.type, r3.title, r3.container_title, r3.page) == ("chapter", "A chapter", "The Book", "1-10")
    assert r3.author == [Name("Roe", "R")]  # the editor is not an author
    assert (r4.type, r4.title, r4.URL) == ("software", "toolkit", "https://example.org/tool")


def test_handmade_citations(handmade: Paper) -> None:
    p = handmade
    check_invariants(p)
    got = [(c.text, c.style, [(i.label, i.status, i.refs) for i in c.items]) for c in p.citations]
    assert got == [
        ("[2]", "numeric", [("[2]", "resolved", ["r2"])]),
        ("[1]", "numeric", [("[1]", "resolved", ["r1"])]),
        ("[1]\u2013[3]", "numeric", [("[1]", "resolved", ["r1"]), ("[2]", "resolved", ["r2"]),
                                     ("[3]", "resolved", ["r3"])]),
        ("[4]", "numeric", [("[4]", "resolved", ["r4"])]),
        ("[2,4]", "numeric", [("[2,4]", "resolved", ["r2"]), ("[2,4]", "resolved", ["r4"])]),
        ("[1]", "numeric", [("[1]", "resolved", ["r1"])]),  # in the table's cell
        ("1-3", "numeric", [("1", "resolved", ["r1"]), ("2", "resolved", ["r2"]), ("3", "resolved", ["r3"])]),
    ]


def test_handmade_author_year_style_and_no_range_merge() -> None:
    data = (b'<article><front><article-meta><title-group><article-title>T</article-title></title-group>'
            b'</article-meta></front><body><p>(<xref ref-type="bibr" rid="a">Lee, 2007</xref>, '
            b'<xref ref-type="bibr" rid="b">2009</xref>) and <xref ref-type="bibr" rid="a">2007</xref>'
            b'\xe2\x80\x93<xref ref-type="bibr" rid="c">2010</xref></p></body><back><ref-list>'
            b'<ref id="a"><element-citation><year>2007</year></element-citation></ref>'
            b'<ref id="b"><element-citation><year>2009</year></element-citation></ref>'
            b'<ref id="c"><element-citation><year>2010</year></element-citation></ref>'
            b'</ref-list></back></article>')
    p = load_jats(parse_xml(data), data, "ay.xml")
    check_invariants(p)
    assert [c.text for c in p.citations] == ["Lee, 2007", "2009", "2007", "2010"]
    assert {c.style for c in p.citations} == {"author-year"}


# -- real articles --------------------------------------------------------------------------------

def test_elife_author_year_article() -> None:
    p = load("elife00569.xml")
    # the authors' keywords, not eLife's "Research organism: Other" group
    assert p.keywords == ["Botryllus schlosseri", "tunicates", "stem cell", "hematopoiesis", "vertebrate evolution",
                          "genome"]
    check_invariants(p)
    assert p.title == "The genome sequence of the colonial chordate, Botryllus schlosseri"
    assert p.authors[0] == Name("Voskoboynik", "Ayelet")
    assert (p.year, p.doi, p.venue) == (2013, "10.7554/eLife.00569", "eLife")
    assert len(p.references) == 96  # 96 <ref> elements in <back>
    assert {c.style for c in p.citations} == {"author-year"}
    # The abstract is the main one: not the DOI line after it, not the eLife digest.
    assert p.abstract.startswith("Botryllus schlosseri is a colonial urochordate")
    assert "DOI" not in p.abstract and "tunicates are an evolutionary group" not in p.abstract
    # The reference list is alphabetical, not in id order (bib11 is missing): Darwin, 1874 is bib15,
    # the 14th <ref>, so r14.
    darwin = find_citation(p, "Darwin, 1874")
    assert all_refs(darwin) == ["r14"]
    ref = p.references[13]
    assert (ref.author[0].family, ref.year, ref.type, ref.title) == ("Darwin", 1874, "book", "The Descent of man")
    # "Lartillot et al., 2007, 2009" is two xrefs; the second only says "2009" (bib44).
    bare = find_citation(p, "2009", after="Lartillot et al., 2007, ")
    (rid,) = all_refs(bare)
    ref = p.references[int(rid[1:]) - 1]
    assert (ref.author[0].family, ref.year) == ("Lartillot", 2009)
    check_coverage("elife00569.xml")


def test_elife_year_suffix_and_collab_references() -> None:
    p = load("elife00005.xml")
    cao = next(r for r in p.references if r.title.startswith("The functions of E(Z)/EZH2"))
    assert (cao.issued, cao.year_suffix, cao.container_title, cao.page) == ([2004], "a", "Curr Opin Genet Dev",
                                                                            "155-64")
    assert cao.author == [Name("Cao", "R"), Name("Zhang", "Y")]
    p = load("elife02245.xml")
    aaac = p.references[0]
    assert aaac.author == [Name(literal="AAAC Climate Science Panel")]
    assert (aaac.type, aaac.URL, aaac.year) == ("webpage", "http://whatweknow.aaas.org", 2014)
    assert aaac.title == "What we know: the reality, risks and response to climate change"


def test_plos_numeric_ranges_expand_to_the_middle_references() -> None:
    p = load("journal.pbio.1001315.xml")
    check_invariants(p)
    assert p.title.startswith("Sialyllactose in Viral Membrane Gangliosides Is a Novel Molecular Recognition")
    assert p.authors[0] == Name("Izquierdo-Useros", "Nuria")
    assert len(p.references) == 73
    assert {c.style for c in p.citations} == {"numeric"}
    # <xref rid="...Steinman1">[2]</xref>–<xref rid="...Villadangos1">[4]</xref>: Mellman1 (label 3) between.
    c = find_citation(p, "[2]\u2013[4]")
    assert all_refs(c) == ["r2", "r3", "r4"]
    assert [i.label for i in c.items] == ["[2]", "[3]", "[4]"]
    assert p.references[2].author[0].family == "Mellman" and p.references[2].year == 2001
    # [37]–[39]: Simons1 ... Rajendran1, with Brown1 (label 38) untagged in between.
    c = find_citation(p, "[37]\u2013[39]")
    assert all_refs(c) == ["r37", "r38", "r39"]
    assert p.references[37].author[0].family == "Brown" and p.references[37].citation_number == "38"
    check_coverage("journal.pbio.1001315.xml")


def test_plos_empty_xref_in_a_range() -> None:
    # "[<xref rid="B8">8</xref><xref rid="B9"/>-<xref rid="B10">10</xref>]": B9 is an empty xref.
    p = load("journal.pone.0067227.xml")
    check_invariants(p)
    assert len(p.references) == 48
    c = find_citation(p, "8-10")
    assert all_refs(c) == ["r8", "r9", "r10"]
    alder = p.references[8]
    assert alder.author[0] == Name("Alder", "JK") and len(alder.author) == 5  # "et al." is not a name
    assert alder.raw.startswith("Alder JK, Guo N, Kembou F, Parry EM, Anderson CJ et al. (2011) Telomere length "
                                "is a determinant of emphysema susceptibility. Am J Respir Crit Care Med 184:")
    assert (alder.DOI, alder.PMID, alder.page) == ("10.1164/rccm.201103-0520OC", "21757622", "904-912")
    check_coverage("journal.pone.0067227.xml")


def test_bmc_mixed_citations_without_punctuation_are_rendered() -> None:
    p = load("1471-2180-11-174.xml")
    check_invariants(p)
    assert p.title == "Factors influencing lysis time stochasticity in bacteriophage \u03bb"
    assert p.authors[0] == Name("Dennehy", "John J")
    assert (p.year, len(p.references)) == (2011, 64)
    assert {c.style for c in p.citations} == {"numeric"}
    assert p.abstract.startswith("Background\n\nDespite identical genotypes")
    assert p.headings()[:2] == ["Abstract", "Background"]
    # "[<xref rid="B1">1</xref>-<xref rid="B9">9</xref>]", refs B1..B64 in order.
    c = find_citation(p, "1-9")
    assert all_refs(c) == [f"r{i}" for i in range(1, 10)]
    r1 = p.references[0]
    assert r1.raw == ("Avery SV. 2006. Microbial cell individuality and the underlying sources of heterogeneity. "
                      "Nat Rev Microbiol 4:577\u2013587. doi: 10.1038/nrmicro1460")
    assert (r1.DOI, r1.PMID, r1.volume, r1.page) == ("10.1038/nrmicro1460", "16845428", "4", "577-587")
    check_coverage("1471-2180-11-174.xml")


def test_oncotarget_article() -> None:
    p = load("PMC5828200.xml")
    check_invariants(p)
    assert p.title == ("Curcuminoid submicron particle ameliorates cognitive deficits and decreases amyloid "
                       "pathology in Alzheimer\u2019s disease mouse model")
    assert p.authors[0] == Name("Tai", "Yi-Heng")
    assert len(p.references) == 52
    assert {c.style for c in p.citations} == {"numeric"}
    c = find_citation(p, "10\u201312")  # <xref rid="R10">10</xref>&#x02013;<xref rid="R12">12</xref>
    assert all_refs(c) == ["r10", "r11", "r12"]
    check_coverage("PMC5828200.xml")


def test_every_corpus_article_loads() -> None:
    if not JATS_DIR.exists():
        pytest.skip(f"needs the shared corpus beside the repo ({JATS_DIR} not found)")
    files = sorted(JATS_DIR.glob("*.xml")) + sorted(PDF_DIR.glob("*.jats.xml"))
    assert len(files) >= 121
    start = time.perf_counter()
    for path in files:
        paper = load_xml(path.read_bytes(), str(path))
        assert paper.format == "jats", path.name
        assert paper.title.strip() and paper.text.strip(), path.name
        assert paper.text.startswith(paper.title[:20]), path.name
        check_invariants(paper)
        assert not re.search(r"&[A-Za-z]+;", paper.title), path.name
    assert time.perf_counter() - start < 30


def test_a_corpus_table_keeps_its_cells_and_rows() -> None:
    """PMC5828200's Table 1, read off the XML: a header row, then one row per <tr> (a cell under a rowspan is
    simply absent from its row), then the caption."""
    paper = load("PMC5828200.xml")
    table = next(b for b in paper.blocks if b.kind == "table")
    rows = paper.text[table.start:table.end].split("\n")
    assert rows[0] == "Treatment\tDosage (g/kg)\tCmax (\u03bcg/ml)\tTmax (min)\tAUC (\u03bcg/ml\u2219min)"
    assert rows[1] == "C\t0.2\t0.47\u00b10.33\t45\u00b111\t36\u00b112"
    assert rows[2] == "CSP\t5.96\u00b10.72\t75\u00b142\t1,250\u00b156"
    after = paper.blocks[paper.blocks.index(table) + 1]
    assert after.kind == "caption" and paper.block_text(after).startswith("Table 1. Pharmacokinetic analysis")
