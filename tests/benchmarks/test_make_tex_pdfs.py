"""The pure JATS -> LaTeX/BibTeX part of make_tex_pdfs.py (no TeX needed: CI has none)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from lxml import etree

_spec = importlib.util.spec_from_file_location("make_tex_pdfs", Path(__file__).with_name("make_tex_pdfs.py"))
mtp = importlib.util.module_from_spec(_spec)
sys.modules["make_tex_pdfs"] = mtp      # dataclasses look their module up
_spec.loader.exec_module(mtp)

ARTICLE = """<article><front><article-meta>
<title-group><article-title>Growth of <italic>E. coli</italic> &amp; yeast</article-title></title-group>
<contrib-group><contrib contrib-type="author"><name><surname>M\u00fcller</surname><given-names>Anna</given-names></name>
<xref ref-type="aff" rid="a1"/></contrib></contrib-group>
<aff id="a1"><label>1</label>Dept of Biology, Uppsala, Sweden</aff>
<abstract><p>We grew cells.</p></abstract></article-meta></front>
<body><sec><title>Introduction</title>
<p>Cells divide (<xref ref-type="bibr" rid="b1">Smith et al., 2019</xref>; <xref ref-type="bibr" rid="b2">Jones, 2020</xref>).
<xref ref-type="bibr" rid="b1">Smith et al. (2019)</xref> saw 50% growth (see <xref ref-type="bibr" rid="b2">Jones, 2020</xref>).</p>
<p>Numbered <xref ref-type="bibr" rid="b1">[1]</xref>\u2013<xref ref-type="bibr" rid="b3">[3]</xref> and
x<sup><xref ref-type="bibr" rid="b2">2</xref>,<xref ref-type="bibr" rid="b3">3</xref></sup>.</p></sec></body>
<back><ref-list>
<ref id="b1"><element-citation publication-type="journal"><person-group person-group-type="author">
<name><surname>Smith</surname><given-names>J</given-names></name><name><surname>Doe</surname><given-names>AB</given-names></name>
<etal/></person-group><article-title>A study of growth</article-title><source>J Cells</source><year>2019</year>
<volume>3</volume><fpage>1</fpage><lpage>10</lpage><pub-id pub-id-type="doi">10.1/x_y</pub-id></element-citation></ref>
<ref id="b2"><element-citation publication-type="book"><person-group person-group-type="author">
<name><surname>Jones</surname><given-names>Amy</given-names></name></person-group><source>The Book</source>
<year>2020</year><publisher-name>Pub &amp; Co</publisher-name></element-citation></ref>
<ref id="b3"><mixed-citation>Anon. Some report, 2001.</mixed-citation></ref>
</ref-list></back></article>"""


def converted(style: str):
    tree = etree.ElementTree(etree.fromstring(ARTICLE))
    return mtp.convert(tree, mtp.STYLES[style])


def test_escape_specials_and_characters():
    assert mtp.escape("50% a_b & {x} \u03b1 caf\u00e9 \u2013") == "50\\% a\\_b \\& \\{x\\} \\ensuremath{\\alpha} caf\\'{e} --"
    assert mtp.escape("\u4e2d") == ""           # pdflatex cannot set it: dropped, not an error


def test_citation_groups_become_one_cite_each_in_author_year():
    tex = converted("els-harv").tex
    assert "Cells divide \\citep{r1,r2}." in tex                   # parentheses of the JATS group removed
    assert "\\citet{r1} saw 50\\% growth (see \\citealp{r2})." in tex
    assert "Numbered \\citep{r1,r2,r3} and" in tex                  # a tagged range's middle (b2) is added
    assert "x\\citep{r2,r3}." in tex                                # the superscript group replaced whole


def test_numeric_style_without_natbib_keeps_narrative_names():
    tex = converted("ieee").tex
    assert "Smith et al.~\\cite{r1} saw" in tex
    assert "Numbered \\cite{r1,r2,r3} and" in tex
    assert "\\bibliographystyle{IEEEtran}" in tex and "\\nocite{*}" in tex


def test_front_matter_in_class_macros():
    tex = converted("els-num").tex
    assert "\\title{Growth of \\textit{E. coli} \\& yeast}" in tex
    assert "\\author[a1]{Anna M\\\"{u}ller}" in tex
    assert "\\address[a1]{Dept of Biology, Uppsala, Sweden}" in tex
    assert "\\begin{abstract}\nWe grew cells.\n\\end{abstract}" in tex


def test_bib_entries_from_ref_fields():
    bib = converted("ieee").bib
    assert "@article{r1," in bib and "author = {Smith, J. and Doe, A. B. and others}" in bib
    assert "doi = {10.1/x\\_y}" in bib and "pages = {1--10}" in bib
    assert "@book{r2," in bib and "title = {The Book}" in bib and "publisher = {Pub \\& Co}" in bib
    assert "@misc{r3,\n  note = {Anon. Some report, 2001.}" in bib     # nothing to read fields from


def test_untagged_reference_gets_author_year_title():
    entry = mtp.unstructured_entry("r9", "Schoenafinger K, Petry S, Baringhaus KH (2001) Substituted oxadiazolones "
                                         "for inhibiting lipase. WO/2001/066, 531.")
    assert "author = {Schoenafinger, K. and Petry, S. and Baringhaus, K. H.}" in entry
    assert "title = {Substituted oxadiazolones for inhibiting lipase}" in entry and "year = {2001}" in entry
    assert "howpublished = {WO/2001/066, 531.}" in entry


def test_jats_copy_gets_the_printed_citations():
    conv = converted("els-harv")
    labels = mtp.read_labels("\\bibcite{r1}{{1}{2019}{{Smith et~al.}}{{Smith, Doe}}}\n"
                             "\\bibcite{r2}{{2}{2020}{{Jones}}{{Jones}}}\n\\bibcite{r3}{{3}{2001}{{Anon}}{{}}}\n")
    mtp.fill_citations(conv.jats, conv.keys, labels, mtp.STYLES["els-harv"])
    p = conv.jats.getroot().find(".//body//p")
    text = "".join(p.itertext())
    assert text.startswith("Cells divide (Smith et al., 2019; Jones, 2020).\nSmith et al. (2019) saw 50% growth "
                           "(see Jones, 2020).")
    xrefs = [(x.get("rid"), x.text) for x in p.iter("xref")]
    assert xrefs == [("b1", "Smith et al., 2019"), ("b2", "Jones, 2020"), ("b1", "Smith et al. (2019)"),
                     ("b2", "Jones, 2020")]


def test_jats_copy_numeric_labels():
    conv = converted("ieee")
    labels = mtp.read_labels("\\bibcite{r1}{1}\n\\bibcite{r2}{2}\n\\bibcite{r3}{3}\n")
    mtp.fill_citations(conv.jats, conv.keys, labels, mtp.STYLES["ieee"])
    second = conv.jats.getroot().findall(".//body//p")[1]
    assert "".join(second.itertext()).startswith("Numbered [1, 2, 3] and\nx[2, 3].")


def test_acm_author_year_groups_printed_in_list_order():
    conv = converted("acm-ay")
    labels = mtp.read_labels("\\bibcite{r1}{{2}{2019}{{Smith et~al.}}{{}}}\n\\bibcite{r2}{{1}{2020}{{Jones}}{{}}}\n"
                             "\\bibcite{r3}{{3}{2001}{{Anon}}{{}}}\n")
    mtp.fill_citations(conv.jats, conv.keys, labels, mtp.STYLES["acm-ay"])
    p = conv.jats.getroot().find(".//body//p")
    assert "".join(p.itertext()).startswith("Cells divide (Jones, 2020; Smith et al., 2019).")
