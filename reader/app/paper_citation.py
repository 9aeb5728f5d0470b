"""A paper of the library as others would cite it: one line of text, or a BibTeX entry (for the library menu)."""
from __future__ import annotations

from reader.cite.export import to_bibtex
from reader.model import Paper, Reference


def as_reference(paper: Paper) -> Reference:
    """The paper's own metadata as a reference entry (CSL fields), the way the cite exports want it."""
    return Reference(id="self", raw=paper_citation(paper), type="article-journal", author=list(paper.authors),
                     issued=[paper.year] if paper.year else [], title=paper.title, container_title=paper.venue,
                     volume=paper.volume, issue=paper.issue, DOI=paper.doi, URL=paper.url)


def paper_citation(paper: Paper) -> str:
    """Authors (year). Title. Venue, volume(issue). https://doi.org/..."""
    names = [a.display() for a in paper.authors]
    authors = ", ".join(names[:6]) + (" et al." if len(names) > 6 else "")
    parts = [f"{authors} ({paper.year})." if authors and paper.year else f"{authors}." if authors else
             f"({paper.year})." if paper.year else ""]
    if paper.title:
        parts.append(paper.title.rstrip(".") + ".")
    where = paper.venue + (f", {paper.volume}" if paper.venue and paper.volume else "") + (
        f"({paper.issue})" if paper.venue and paper.volume and paper.issue else "")
    if where:
        parts.append(where + ".")
    if paper.doi:
        parts.append(f"https://doi.org/{paper.doi}")
    return " ".join(p for p in parts if p)


def paper_bibtex(paper: Paper) -> str:
    return to_bibtex([as_reference(paper)])
