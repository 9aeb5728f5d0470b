"""Reference export: BibTeX, RIS and CSL-JSON that reference managers import."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from reader.cite.export import latex, to_bibtex, to_csl_json, to_ris
from reader.model import Name, Reference

LIBRARY = Path(__file__).resolve().parents[2] / "library"

REFS = [
    Reference(id="r1", raw="", type="article-journal", author=[Name("Cao", "R."), Name("Zhang", "Y.")], issued=[2004],
              year_suffix="a", title="Role of {PRC2} & H3K27 in 50% of cells", container_title="Mol Cell",
              volume="15", issue="1", page="57–67", DOI="10.1016/j.molcel.2004.06.020"),
    Reference(id="r2", raw="", type="article-journal", author=[Name("Cao", "R.")], issued=[2004], year_suffix="b",
              title="Second work", container_title="Science"),
    Reference(id="r3", raw="", type="webpage", author=[Name(literal="Human Rights Watch")], issued=[2022],
              title="Afghanistan: Economic Roots of the Humanitarian Crisis", URL="https://www.hrw.org/news/x"),
    Reference(id="r4", raw="", type="book", author=[Name("Müller", "Jürgen"), Name("Dvořák", "Ana")], issued=[1999],
              title="Çelik und Ørsted", publisher="Springer", publisher_place="Berlin"),
]


def test_bibtex_keys_are_valid_and_unique():
    keys = re.findall(r"^@\w+\{([^,]+),", to_bibtex(REFS + REFS[:1]), re.M)
    assert keys == ["Cao2004a", "Cao2004b", "HumanRightsWatch2022", "Muller1999", "Cao2004a-1"]
    assert all(re.fullmatch(r"[A-Za-z0-9_:\-]+", k) for k in keys)


def test_bibtex_escapes_specials_and_accents():
    bib = to_bibtex(REFS)
    assert "title = {{Role of \\{PRC2\\} \\& H3K27 in 50\\% of cells}}" in bib
    assert "author = {M{\\\"u}ller, J{\\\"u}rgen and Dvo{\\v{r}}{\\'a}k, Ana}" in bib
    assert "author = {{Human Rights Watch}}" in bib  # an organisation is never split into names
    assert "pages = {57--67}" in bib and "@article{Cao2004a," in bib and "@book{Muller1999," in bib
    assert bib.count("{") == bib.count("}")  # every brace balanced, escaped ones included
    assert latex("Ørsted — 5$") == "{\\O}rsted --- 5\\$"


def test_ris_records():
    ris = to_ris(REFS[:1])
    assert ris.splitlines() == ["TY  - JOUR", "AU  - Cao, R.", "AU  - Zhang, Y.", "PY  - 2004",
                                "TI  - Role of {PRC2} & H3K27 in 50% of cells", "T2  - Mol Cell", "VL  - 15",
                                "IS  - 1", "SP  - 57", "EP  - 67", "DO  - 10.1016/j.molcel.2004.06.020", "ER  -"]
    assert to_ris(REFS[2:3]).splitlines()[:2] == ["TY  - ELEC", "AU  - Human Rights Watch"]


def test_csl_json_has_what_citeproc_needs():
    items = json.loads(to_csl_json(REFS))
    csl_types = {"article-journal", "book", "chapter", "paper-conference", "report", "thesis", "webpage",
                 "dataset", "software", "document"}
    for item in items:
        assert item["id"] and item["type"] in csl_types
        assert all(isinstance(p, int) for p in item["issued"]["date-parts"][0])
        for name in item.get("author", []):
            assert set(name) <= {"family", "given", "literal"}
        assert "raw" not in item and "start" not in item
    assert items[0]["year-suffix"] == "a" and items[0]["container-title"] == "Mol Cell"


def test_refs_command_on_the_seed(tmp_path):
    out = tmp_path / "refs.bib"
    seed = LIBRARY / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt"
    proc = subprocess.run([sys.executable, "-m", "reader", "refs", str(seed), "--format", "bibtex", "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    bib = out.read_text()
    assert bib.count("\n@") + bib.startswith("@") == 25
    assert "@article{Shahbaz2023," in bib and "journal = {Open Journal of Political Science}" in bib
    ris = subprocess.run([sys.executable, "-m", "reader", "refs", str(seed), "--format", "ris"],
                         capture_output=True, text=True, timeout=120).stdout
    assert ris.count("ER  -") == 25
