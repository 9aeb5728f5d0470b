"""A rule printed in place of the names means the authors of the entry above: IEEEtran's "——,",
Chicago's "———.", MLA's "---."."""
from __future__ import annotations

from reader.cite.engine import annotate
from reader.model import Paper, Reference


def _paper(*raws: str) -> Paper:
    refs = [Reference(id=f"r{n}", raw=raw) for n, raw in enumerate(raws, 1)]
    return Paper(id="p", source_path="x.txt", format="text", title="", text="", references=refs)


def test_an_ieee_rule_takes_the_names_of_the_entry_above() -> None:
    paper = _paper('[4] W. Hong and L. Luo, "Genetic control of wiring specificity," Neuron, vol. 7, pp. 1–9, 2014.',
                   '[5] ——, "Synapse formation in the mouse olfactory bulb," J. Neurosci., vol. 3, pp. 1–2, 2010.')
    annotate(paper)
    second = paper.references[1]
    assert [a.family for a in second.author] == ["Hong", "Luo"]
    assert second.title == "Synapse formation in the mouse olfactory bulb"


def test_a_chicago_rule_takes_the_names_of_the_entry_above() -> None:
    paper = _paper("Marder, E., and D. Bucher. 2007. Understanding circuit dynamics. Annu Rev Physiol 69: 291–316.",
                   "———. 2013. The haves and the have nots. eLife 2: e01515.")
    annotate(paper)
    assert [a.family for a in paper.references[1].author] == ["Marder", "Bucher"]
    assert paper.references[1].title == "The haves and the have nots"
