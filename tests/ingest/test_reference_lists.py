"""Reference lists as real PDFs print them: where the list ends, which lines open an entry, and what is no
entry at all. Expected values read off the rendered pages (pymupdf, 70-110 dpi)."""
from __future__ import annotations

from reader.cite.split import separate_trailing_text, split_references
from reader.ingest import load_paper
from reader.ingest.backmatter import untangle_reference_list
from reader.ingest.lines import Line
from reader.ingest.paragraphs import Paragraph


def _entries(lines: list[Line]) -> list[str]:
    return [" ".join(lines[f.line].text[f.start:f.end].strip() for f in e) for e in split_references(lines)]


def _headings(paper):
    return [paper.block_text(b) for b in paper.blocks if b.kind == "heading"]


def test_acl_list_ends_at_the_appendix(corpus_dir) -> None:
    # ACL 2020 (two columns, author-year, hanging indent, no numbers): 3 entries on p. 9, 28 on p. 10, 26
    # on p. 11, from "Anant K. Agarwal" to "Xinyuan Zhang ... In NeurIPS."; p. 12 opens "A Appendix A -
    # Baseline Details", whose numbered items in body type ("1. Random ...", "2. Doc2Vec ...") are no entries
    paper = load_paper(corpus_dir / "pdf" / "acl-2020.acl-main.207.publisher.pdf")
    refs = paper.references
    assert len(refs) == 57
    assert refs[0].raw.startswith("Anant K. Agarwal, Ivan Zaitsev, Xuanhui Wang,")
    assert refs[0].raw.endswith("In WSDM.")
    assert refs[-1].raw == ("Xinyuan Zhang, Yitong Li, Dinghan Shen, and Lawrence Carin. 2018. Diffusion maps for "
                            "textual network embedding. In NeurIPS.")
    headings = _headings(paper)
    assert headings.index("References") < headings.index("A Appendix A - Baseline Details")
    assert not any(r.raw.startswith(("1. Random", "2. Doc2Vec")) for r in refs)
    # the text cites by author and year, so the footnote marks ("dataset16") are no citations
    assert paper.citations and all(c.style == "author-year" for c in paper.citations)
    le = next(r.id for r in refs if r.raw.startswith("Quoc Le and Tomas Mikolov. 2014."))
    cited = [item.refs for c in paper.citations for item in c.items if "Le and Mikolov" in item.label]
    assert cited and all(ids == [le] for ids in cited)


def test_appendix_items_in_body_type_do_not_resume_the_list() -> None:
    # the list in 8-pt type; after it an appendix heading and numbered items in 10-pt body type that cite
    # and date like entries ("(Le and Mikolov, 2014)"): the appendix stays after the list
    def para(text: str, size: float, level: int = 0) -> Paragraph:
        return Paragraph([Line(text, gap_before=True, size=size, heading_level=level)], level)

    paragraphs = [para("Conclusion", 12, 1), para("We end here.", 10), para("References", 12, 1),
                  para("Smith, J. 2019. A study of things. In ACL.", 8),
                  para("Doe, A. 2020. Another study. In EMNLP.", 8),
                  para("A Appendix A - Baseline Details", 12, 1),
                  para("1. Doc2Vec is an earlier method (Le and Mikolov, 2014) we compare to.", 10)]
    out = [p.first.text for p in untangle_reference_list(paragraphs)]
    assert out == [p.first.text for p in paragraphs]


def test_frontiers_journal_line_continues_its_entry(realpdf) -> None:
    # p. 8: "... among the elderly. Int. J." / "Environ. Res. Public Health 16, 3986. doi: ..." is one entry
    # (Miralles-Guasch 2019); the list holds 73 entries, "Adams, Q. H." to "Zhuang, P., and Liu, S."
    paper = load_paper(realpdf / "frontiers-2026-fphys.2026.1825414.pdf")
    refs = paper.references
    assert len(refs) == 73
    entry = next(r.raw for r in refs if r.raw.startswith("Miralles-Guasch, C."))
    assert entry.endswith("Int. J. Environ. Res. Public Health 16, 3986. doi: 10.3390/ijerph16203986")
    assert not any(r.raw.startswith(("Environ. Res.", "Am. J. Epidemiol.", "CLHLS.", "Comp. Literature")) for r in refs)
    assert refs[-1].raw.startswith("Zhuang, P., and Liu, S. (2023). Body and nature")


def test_a_journal_wrapped_onto_a_line_of_its_own_in_a_gapped_list() -> None:
    # entries set apart by gaps: a line with no gap before it that opens with a journal's abbreviation is
    # the rest of the entry, not the next one's authors
    lines = [Line("Adams, Q. H., and Chan, E. M. (2023). Examining cooling centers. Public Health Rep.", True),
             Line("138, 955–962. doi: 10.1177/00333549221148174"),
             Line("Miralles-Guasch, C., and Dopico, J. (2019). Natural landscape and health. Int. J.", True),
             Line("Environ. Res. Public Health 16, 3986. doi: 10.3390/ijerph16203986"),
             Line("Park, S. C., and Li, Y. (2011). Air pollution and heart rate variability.", True),
             Line("Am. J. Epidemiol. 173, 1013–1021. doi: 10.1093/aje/kwq477"),
             Line("Zhuang, P., and Liu, S. (2023). Body and nature. Comp. Lit. 7, 188–200.", True)]
    assert len(_entries(lines)) == 4
    assert _entries(lines)[1].endswith("Int. J. Environ. Res. Public Health 16, 3986. doi: 10.3390/ijerph16203986")


def test_a_compound_surname_with_a_particle_cut_by_the_line_end() -> None:
    # frontiers-2026-fpls.2026.1798826, p. 18: "..., dos Santos" / "Nascimento, F., and da Silva Gesteira,
    # A. (2025)." is one entry: "da Silva" opens the last author's surname, no new entry
    lines = [Line("Costa, L., and Lima, A. (2024). A study of roots. Sci. Hortic. 308, 111594.", True),
             Line("da Silva Costa, L., Freschi, L., Coelho Filho, M. A., Araújo da Silva, M. A., dos Santos", True),
             Line("Nascimento, F., and da Silva Gesteira, A. (2025). Reassessing drought tolerance in citrus"),
             Line("tetraploid rootstocks: myth or reality? Physiol. Plant. 177 (3), e70199."),
             Line("Dong, T., and Xia, R. (2021). Citrus nitrogen. Plant Soil 12, 1–9.", True),
             Line("Egea, G., and Ruiz, P. (2020). Citrus water. Agric. Water Manag. 9, 2–8.", True),
             Line("Fan, H., and Gao, L. (2019). Citrus roots. Plant Soil 11, 3–7.", True)]
    entries = _entries(lines)
    assert len(entries) == 5
    assert entries[1].startswith("da Silva Costa, L.") and entries[1].endswith("Physiol. Plant. 177 (3), e70199.")


def test_abbreviations_above_the_heading_are_no_entries(realpdf) -> None:
    # p. 20: the abbreviations list (KMO / Kaiser–Meyer–Olkin, ...) above the "References" heading, read
    # after it; the list runs "Ahorsu, D. K." to "Zammitti, A., Santisi, G., ... (2023b)" (92 entries), and
    # the "Disclaimer/Publisher’s Note" under it is no entry
    paper = load_paper(realpdf / "mdpi-2026-bs16050636.pdf")
    refs = paper.references
    assert refs[0].raw.startswith("Ahorsu, D. K., Lin, C. Y., Imani, V.")
    assert refs[-1].raw.startswith("Zammitti, A., Santisi, G., Magnano, P., & Di Nuovo, S. (2023b).")
    assert refs[-1].raw.endswith("Sustainability, 15(14), 10871. [CrossRef]")
    assert len(refs) == 92
    assert not any("Kaiser–Meyer–Olkin" in r.raw or "Publisher’s Note" in r.raw for r in refs)
    assert paper.text.index("Kaiser–Meyer–Olkin") < refs[0].start


def test_publisher_note_set_apart_after_the_list() -> None:
    # springer-2023-s12053-023-10099-4 (p. 21) and MDPI: the note's lines come with gaps, each would be an entry
    lines = [Line("Zhang, D., & Bluyssen, P. M. (2021). Energy consumption in schools. Energy, 86, 102425.", True),
             Line("Thomas, R. M. (2002). Overcoming inertia in school reform. Corwin Press Inc.", True),
             Line("Wittmayer, J., & Campos, I. (2022). Energy transitions. Energy Res., 86, 102425.", True),
             Line("Publisher’s note Springer Nature remains neutral with regard", True),
             Line("to jurisdictional claims in published maps and institutional", True),
             Line("affiliations.", True)]
    kept, rest = separate_trailing_text(lines, split_references(lines))
    assert len(kept) == 3
    assert [f.line for f in rest] == [3, 4, 5]
    lines[3] = Line("Disclaimer/Publisher’s Note: The statements, opinions and data contained in all", True)
    kept, rest = separate_trailing_text(lines, split_references(lines))
    assert [f.line for f in rest] == [3, 4, 5]


def test_springer_list_without_its_publisher_note(realpdf) -> None:
    # 84 entries, "AlFaris, F." to "Zhang, D., & Bluyssen, P. M. (2021)"; the note under them is text
    paper = load_paper(realpdf / "springer-2023-s12053-023-10099-4.pdf")
    refs = paper.references
    assert len(refs) == 84
    assert refs[-1].raw.startswith("Zhang, D., & Bluyssen, P. M. (2021). Energy consumption, self-reported")
    assert "Springer Nature remains neutral" in paper.text
    assert not any("jurisdictional" in r.raw for r in refs)


def test_supplement_pages_after_the_list_stay_after_it(corpus_dir) -> None:
    # clinsci: the list on pp. 8-9; pp. 10-13 are the "SUPPLEMENTARY ONLINE DATA" (methods, synthesis,
    # figure legends in the entries' small type, its own "REFERENCES" on p. 13): they follow the list
    paper = load_paper(corpus_dir / "pdf" / "clinsci-2014-cs20130403.publisher.pdf")
    headings = _headings(paper)
    first_refs = headings.index("REFERENCES")
    assert first_refs < headings.index("SUPPLEMENTARY ONLINE DATA") < len(headings) - 1 - headings[::-1].index("REFERENCES")
    assert paper.references[0].raw.startswith("1 Acharya, K. R., Sturrock, E. D.")
    supplement = paper.text.index("SUPPLEMENTARY ONLINE DATA")
    assert paper.references[0].start < supplement


def _placed(text: str, page: int, x0: float, y0: float, size: float = 8, level: int = 0) -> Paragraph:
    return Paragraph([Line(text, gap_before=True, size=size, heading_level=level, page=page,
                           bbox=(x0, y0, x0 + 200, y0 + size + 2))], level)


def test_what_stands_above_the_heading() -> None:
    # a page-wide "References" under a two-column abbreviations block: the block's right column, read
    # after the heading, goes before it
    abbreviations = _placed("Kaiser–Meyer–Olkin Mean Standard Deviation", 20, 221, 75, 9)
    paragraphs = [_placed("Abbreviations", 20, 36, 60, 12, 1), _placed("KMO M SD", 20, 166, 75, 9),
                  _placed("References", 20, 36, 229, 12, 1), abbreviations,
                  _placed("Ahorsu, D. K., & Lin, C. Y. (2020). The fear of COVID-19 scale. Int J Ment Health, 20, 1537.", 20, 35, 247),
                  _placed("Bandura, A. (1986). Social foundations of thought and action. Prentice-Hall.", 20, 35, 298)]
    out = untangle_reference_list(paragraphs)
    assert out.index(abbreviations) < out.index(paragraphs[2])
    # a heading left at the foot of the left column: the entries at the top of the right column, above it
    # on the page, are the list itself
    paragraphs = [_placed("The body ends here.", 7, 49, 600, 10), _placed("References", 7, 49, 760, 12, 1),
                  _placed("Adams, Q. H., and Chan, E. (2023). Cooling centers. Public Health Rep. 138, 955–962.", 7, 304, 60),
                  _placed("Appiah, D., and Luitel, S. (2022). Social cohesion. Health Place 77, 102895.", 7, 304, 90)]
    assert untangle_reference_list(list(paragraphs)) == paragraphs


def test_numbered_items_after_an_unnumbered_list_do_not_number_it() -> None:
    # an appendix's items in the list's own type, with no heading between: the list is unnumbered, so its
    # entries are not cut at "1.", "2.", "3."
    lines = [Line(f"Author{c}, A., and Other, B. 20{10 + k}. A title of the work. In Proceedings.", True)
             for k, c in enumerate("ABCDEFGH")]
    lines += [Line("1. Random vectors were used as representations.", True),
              Line("2. Doc2Vec is an earlier method (Le and Mikolov, 2014).", True),
              Line("3. Fasttext-Sum is a weighted sum of word vectors.", True)]
    entries = _entries(lines)
    assert entries[0].startswith("AuthorA, A.") and entries[7].startswith("AuthorH, A.")
    assert not any(e.startswith("AuthorA") and "AuthorB" in e for e in entries)
