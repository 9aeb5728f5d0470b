"""BibTeX, RIS and CSL-JSON files with their linked files: every ``file`` field dialect, metadata, duplicates."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import zotero_db as z
from reader.library import Library
from reader.library.external import import_bibliography
from reader.library.external.bibfiles import file_field_attachments, read_bib_file
from reader.model import Name

TEXT = "Rivers carry silt from the hills to the deltas, where farmers grow rice on the new land. " * 5


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library.open(tmp_path / "lib")
    yield lib
    lib.close()


def _files(tmp_path: Path, *names: str) -> list[Path]:
    out = []
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4 stand-in")
        out.append(path)
    return out


@pytest.mark.parametrize("dialect, field, expected", [
    ("Zotero, escaped", r"Full Text PDF:{d}/Zotero/storage/AB12/a\:b.pdf:application/pdf;Snapshot:{d}/s.html:text/html",
     ["Zotero/storage/AB12/a:b.pdf"]),
    ("Better BibTeX, one path", "{d}/papers/one.pdf", ["papers/one.pdf"]),
    ("Better BibTeX, several", "{d}/papers/one.pdf;{d}/papers/two.pdf", ["papers/one.pdf", "papers/two.pdf"]),
    ("JabRef, relative to the .bib", ":papers/one.pdf:PDF", ["papers/one.pdf"]),
    ("Mendeley, no leading slash", ":{nd}/papers/two.pdf:pdf", ["papers/two.pdf"]),
    ("Mendeley, escaped Windows drive", r":C$\backslash$:/Users/me/x.pdf:pdf", [None]),
])
def test_file_field_dialects(tmp_path: Path, dialect: str, field: str, expected: list[str | None]) -> None:
    _files(tmp_path, "Zotero/storage/AB12/a:b.pdf", "papers/one.pdf", "papers/two.pdf")
    value = field.format(d=tmp_path, nd=str(tmp_path).lstrip("/"))
    found = file_field_attachments(value, tmp_path)
    assert [str(a.path.relative_to(tmp_path)) if a.path else None for a in found] == expected, dialect


def test_an_unescaped_windows_path_is_one_path(tmp_path: Path) -> None:
    (found,) = file_field_attachments(r":C:\Users\me\My Papers\x.pdf:PDF", tmp_path)
    assert (found.path, found.name, found.problem) == (None, r"C:\Users\me\My Papers\x.pdf", "file not found")


def test_bibtex_entries_become_records(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(r"""
@article{rossi2021,
  author = {Rossi, Maria and {World Health Organization} and van der Berg, Jan and M{\"u}ller, J{\"o}rg},
  title = {Earlier {Melt} in Four Valleys},
  journal = {Journal of Hydrology}, year = {2021}, volume = {12}, number = {3}, pages = {1--20},
  doi = {https://doi.org/10.1016/j.jhydrol.2021.1}, keywords = {melt; hydrology},
  groups = {Thesis}, file = {:papers/one.pdf:PDF}
}
@book{broken, title = {Never closed
@misc{later, title = {A later entry}, date = {2019-05-01}}
""", encoding="utf-8")
    records, problems = read_bib_file(bib)
    assert [r.key for r in records] == ["rossi2021", "later"]
    assert len(problems) == 1 and "refs.bib" in problems[0]  # the broken entry, named; the rest read
    rossi = records[0]
    assert rossi.authors == [Name("Rossi", "Maria"), Name(literal="World Health Organization"),
                             Name("van der Berg", "Jan"), Name("Müller", "Jörg")]
    assert (rossi.title, rossi.venue, rossi.year, rossi.issue, rossi.pages, rossi.doi) == (
        "Earlier Melt in Four Valleys", "Journal of Hydrology", 2021, "3", "1–20", "10.1016/j.jhydrol.2021.1")
    assert (rossi.tags, rossi.collections) == (["melt", "hydrology"], [("Thesis",)])
    assert rossi.attachments[0].problem == "file not found"
    assert records[1].year == 2019


def test_a_bib_file_imports_its_papers_and_again_without_duplicates(library: Library, tmp_path: Path) -> None:
    z.make_pdf(tmp_path / "papers" / "silt.pdf", "Silt and rice", [TEXT])
    bib = tmp_path / "refs.bib"
    bib.write_text("""@article{silt, author = {Das, Asha}, title = {Silt and the rice of the deltas}, year = {2018},
  journal = {Delta Studies}, file = {papers/silt.pdf}}
@article{nofile, author = {Lee, Ann}, title = {Snow surveys by hand}, year = {1998}, file = {papers/gone.pdf}}
""", encoding="utf-8")
    report = import_bibliography(library, bib)
    assert {i.key: i.status for i in report.items} == {"silt": "imported", "nofile": "metadata only"}
    assert len(report.problems) == 1 and "nofile" in report.problems[0] and "gone.pdf" in report.problems[0]
    titles = {e.title: e for e in library.entries()}
    assert set(titles) == {"Silt and the rice of the deltas", "Snow surveys by hand"}
    assert (titles["Silt and the rice of the deltas"].venue, titles["Silt and the rice of the deltas"].format) == (
        "Delta Studies", "pdf")
    again = import_bibliography(library, bib)
    assert {i.status for i in again.items} == {"unchanged"} and len(library.entries()) == 2


def test_a_record_already_in_the_library_is_merged(library: Library, tmp_path: Path) -> None:
    z.make_pdf(tmp_path / "silt.pdf", "Silt and rice", [TEXT])
    library.import_paths([tmp_path / "silt.pdf"])
    (paper_id,) = [e.id for e in library.entries()]
    library.correct_metadata(paper_id, {"title": "Silt and the rice of the deltas", "year": 2018,
                                        "authors": [Name("Das", "Asha")]})
    bib = tmp_path / "refs.json"  # CSL-JSON, the same work with no file: merged by title, year, first author
    bib.write_text(json.dumps([{"id": "das2018", "type": "article-journal", "title": "Silt and the Rice of the Deltas",
                                "author": [{"family": "Das", "given": "Asha"}], "issued": {"date-parts": [[2018]]},
                                "container-title": "Delta Studies"}]), encoding="utf-8")
    report = import_bibliography(library, bib)
    assert [(i.status, i.paper_id) for i in report.items] == [("merged", paper_id)]
    assert len(library.entries()) == 1 and library.entry(paper_id).venue == "Delta Studies"
    assert library.entry(paper_id).title == "Silt and the rice of the deltas"  # the reader's own correction wins


def test_ris_links_files_by_uri(library: Library, tmp_path: Path) -> None:
    pdf = z.make_pdf(tmp_path / "my papers" / "silt.pdf", "Silt and rice", [TEXT])
    ris = tmp_path / "export.ris"
    ris.write_text(f"TY  - JOUR\nAU  - Das, Asha\nTI  - Silt and the rice of the deltas\nPY  - 2018///\n"
                   f"JO  - Delta Studies\nDO  - 10.1234/delta.7\nKW  - rice\nL1  - {pdf.as_uri()}\nER  - \n",
                   encoding="utf-8")
    report = import_bibliography(library, ris)
    assert [i.status for i in report.items] == ["imported"] and not report.problems
    (entry,) = library.entries()
    assert (entry.title, entry.year, entry.doi, entry.authors) == ("Silt and the rice of the deltas", 2018,
                                                                   "10.1234/delta.7", ["Asha Das"])
    assert library.tags(entry.id) == ["rice"]
