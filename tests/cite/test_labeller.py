"""The trained reference labeller (reader/cite/labeller.py) and how the parser uses it.

Entries are real references printed the way each family prints them; the expected fields were read off
the entries by hand. ``ALL_MODEL_FIELDS`` makes the parser take every field the labeller reads from the
labeller, so these check the model itself, not the rules behind it.
"""
from __future__ import annotations

import logging

import pytest

from reader.cite import labeller, references
from reader.cite.references import ALL_MODEL_FIELDS, parse_reference


def model_reading(entry: str):
    return parse_reference(entry, ALL_MODEL_FIELDS)


def test_the_packaged_model_loads_and_is_small():
    assert labeller.MODEL_PATH.is_file()
    assert labeller.MODEL_PATH.stat().st_size < 1_000_000
    model = labeller.load()
    labelled = model.label("Avery SV. Microbial cell individuality. Nat Rev Microbiol. 2006;4:577-87.")
    assert [tok.text for tok, _ in labelled][:2] == ["Avery", "SV."]
    assert {label for _, label in labelled} <= set(labeller.LABELS)


FAMILIES = [
    # (family, entry, first author families, year, title, container)
    ("Nature: family-first, '&', year at the end",
     "1. Locker, D. & Leao, A. Impact of oral disorders on quality of life. Community Dent. Oral Epidemiol. "
     "24, 398–402 (1996).",
     ["Locker", "Leao"], 1996, "Impact of oral disorders on quality of life", "Community Dent. Oral Epidemiol"),
    ("APA: year in parentheses after the names",
     "Reisine, S. T., Fertig, J., Weber, J., & Leder, S. (1989). Impact of dental conditions on patients' "
     "quality of life. Community Dentistry and Oral Epidemiology, 17(1), 7–10.",
     ["Reisine", "Fertig", "Weber", "Leder"], 1989, "Impact of dental conditions on patients' quality of life",
     "Community Dentistry and Oral Epidemiology"),
    ("Vancouver: initials without periods, year inside the location",
     "12. Avery SV. Microbial cell individuality and the underlying sources of heterogeneity. Nat Rev Microbiol. "
     "2006;4(8):577-87.",
     ["Avery"], 2006, "Microbial cell individuality and the underlying sources of heterogeneity", "Nat Rev Microbiol"),
    pytest.param(
        "ACS: semicolon-separated names, year after the journal",
        "(4) Reisine, S. T.; Fertig, J.; Weber, J. Impact of Dental Conditions on Patients' Quality of Life. "
        "Community Dent. Oral Epidemiol. 1989, 17, 7–10.",
        ["Reisine", "Fertig", "Weber"], 1989, "Impact of Dental Conditions on Patients' Quality of Life",
        "Community Dent. Oral Epidemiol",
        # the model runs the title on into "Community Dent": one reason titles stay with the rules
        marks=pytest.mark.xfail(strict=True, reason="the model reads the ACS title into the journal")),
    ("Science: given-first names, a comma before the title",
     "5. D. Locker, S. T. Reisine, Impact of oral disorders on quality of life. Community Dent. Oral Epidemiol. "
     "24, 398–402 (1996).",
     ["Locker", "Reisine"], 1996, "Impact of oral disorders on quality of life", "Community Dent. Oral Epidemiol"),
    ("APS: no article title, the journal right after the names",
     "[6] D. Locker and S. T. Reisine, Phys. Rev. Lett. 97, 123401 (2006).",
     ["Locker", "Reisine"], 2006, "", "Phys. Rev. Lett"),
    ("Oxford journals: a bare year after the names",
     "Albert DM, Bowyer RT 1991 Factors related to grouping in male white-tailed deer. Journal of Mammalogy "
     "72:216-224",
     ["Albert", "Bowyer"], 1991, "Factors related to grouping in male white-tailed deer", "Journal of Mammalogy"),
    ("APA with '...' and a particle: the first author is 'Di Croce', not the last one",
     "Di Croce, L., Raker, V. A., Corsaro, M., Fazi, F., Fanelli, M., Faretta, M., ... & Pelicci, P. G. (2002). "
     "Myc represses transcription through recruitment of DNA methyltransferase corepressor. Science, 295(5557), "
     "1079-1082.",
     ["Di Croce", "Raker", "Corsaro", "Fazi", "Fanelli", "Faretta", "Pelicci"], 2002,
     "Myc represses transcription through recruitment of DNA methyltransferase corepressor", "Science"),
    ("an organisation as author, a book with place and publisher",
     "World Health Organization and UNICEF. 2013. Progress on sanitation and drinking-water: 2013 update. "
     "Geneva: World Health Organization.",
     ["World Health Organization and UNICEF"], 2013, "Progress on sanitation and drinking-water: 2013 update", ""),
]


@pytest.mark.parametrize("family, entry, authors, year, title, container", FAMILIES,
                         ids=[(f.values if hasattr(f, "values") else f)[0] for f in FAMILIES])
def test_the_model_reads_entries_of_each_family(family, entry, authors, year, title, container):
    ref = model_reading(entry)
    assert [a.family or a.literal for a in ref.author] == authors
    assert ref.issued[:1] == [year]
    assert ref.title == title
    assert ref.container_title == container


def test_identifiers_and_labels_stay_with_the_rules():
    ref = parse_reference("[12] A. Smith, \"A title,\" Nature, vol. 5, pp. 1–9, 2020, doi: 10.1038/abc123.")
    assert ref.citation_number == "12"
    assert ref.DOI == "10.1038/abc123"


def test_a_missing_model_file_is_a_clear_error(tmp_path):
    missing = tmp_path / "reference_model.crfsuite"
    with pytest.raises(labeller.ModelError, match="reference model not found: .*reference_model.crfsuite"):
        labeller.load(missing)


def test_a_damaged_model_file_is_a_clear_error(tmp_path):
    damaged = tmp_path / "reference_model.crfsuite"
    damaged.write_bytes(labeller.MODEL_PATH.read_bytes()[:300])
    with pytest.raises(labeller.ModelError, match="reference model cannot be read"):
        labeller.load(damaged)
    damaged.write_bytes(b"not a model at all")
    with pytest.raises(labeller.ModelError):
        labeller.load(damaged)


def test_without_a_usable_model_the_rules_read_every_field(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(labeller, "MODEL_PATH", tmp_path / "gone.crfsuite")
    monkeypatch.setattr(labeller.load, "__defaults__", (tmp_path / "gone.crfsuite",))
    labeller.default_labeller.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="reader.cite.labeller"):
            ref = parse_reference("Albert DM, Bowyer RT 1991 Factors related to grouping in male white-tailed deer. "
                                  "Journal of Mammalogy 72:216-224")
        assert "reference model not found" in caplog.text
        assert [a.family for a in ref.author] == ["Albert", "Bowyer"]
        assert ref.title == "Factors related to grouping in male white-tailed deer"
        assert ref.container_title == "Journal of Mammalogy"
    finally:
        labeller.default_labeller.cache_clear()


def test_the_shipped_engine_takes_each_field_from_one_reader():
    assert references.MODEL_FIELDS <= ALL_MODEL_FIELDS
    # rules only: no labeller consulted at all
    ref = parse_reference("Avery SV. Microbial cell individuality. Nat Rev Microbiol. 2006;4:577-87.", frozenset())
    assert ref.author[0].family == "Avery" and ref.year == 2006


def test_features_describe_each_word():
    words = ["Locker,", "D.", "(1996).", "\"Impact", "of", "life.\"", "Nature", "24,", "398–402."]
    feats = labeller.features(words)
    assert len(feats) == len(words)
    assert "initials" in feats[1] and "dotted" in feats[1]
    assert "year" in feats[2]
    assert "in_quote" in feats[4] and "after_quote" in feats[6]
    assert "after_year" in feats[3] and "after_year" not in feats[2]
    assert "range" in feats[8]


def test_the_model_labels_the_same_where_no_file_can_be_written(tmp_path):
    """pycrfsuite tells the model's attributes by dumping it to a temporary file. Where no file can be written
    (a full disk: here a file-size limit of 1 byte, whose writes fail as a full disk's do) the labeller still
    loads, and gives the same labels as with the attributes known."""
    import subprocess
    import sys

    entry = "Smith, A. B. & Lee, C. Rivers and rice. J. Hydrol. 12, 1-20 (2021)."
    code = ("import resource, signal\n"
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            "resource.setrlimit(resource.RLIMIT_FSIZE, (1, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))\n"
            "from reader.cite import labeller\n"
            "model = labeller.load()\n"
            f"print(model._known is None, [label for _, label in model.label({entry!r})])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "TMPDIR": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    expected = [label for _, label in labeller.load().label(entry)]
    assert out.stdout.strip() == f"True {expected}"
    assert expected[:6] == ["author"] * 6 and "title" in expected
