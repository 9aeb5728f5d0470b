"""Link in-text citation items to reference entries, and answer "who cites this entry?".

An author-year item resolves by family names (case, diacritics and ``et al.`` tolerant), year and year
suffix; two names given means two authors, ``et al.`` prefers entries with more authors. The result is
``resolved`` (one entry), ``ambiguous`` (several equally good: all kept as candidates, none guessed) or
``unresolved`` (with suggestions: the same author in another year, or a near spelling in that year).
A numeric item resolves by the entry's number.
"""
from __future__ import annotations

import re
from collections import defaultdict

from reader.cite.markers import Marker, MarkerItem
from reader.cite.names import PARTICLE_PATTERN, fold
from reader.model import Citation, CitationItem, Paper, Reference


def family_names(ref: Reference) -> list[str]:
    """Folded family names (or organisation names) of a reference's authors, in order."""
    return [fold(a.family or a.literal) for a in ref.author if (a.family or a.literal)]


_PARTICLES_BEFORE = re.compile(rf"^(?:{PARTICLE_PATTERN}\s)+")
_ET_AL_LISTED = re.compile(r"\bet\.? al\b|\band others\b")


class ReferenceIndex:
    """The reference list, indexed for linking."""

    def __init__(self, references: list[Reference]) -> None:
        self.references = references
        self.by_family: dict[str, list[Reference]] = defaultdict(list)
        self.families: dict[str, list[str]] = {}
        self.listed: dict[str, int] = {}  # how many authors an entry has, "et al." counted as three or more
        self.by_acronym: dict[str, list[Reference]] = defaultdict(list)  # "NHS" for "National Health Service"
        self.after_particles: dict[str, str] = {}  # "dejotasouza": "jotasouza"
        for ref in references:
            names = family_names(ref)
            self.families[ref.id] = names
            # "Joo, C., et al. Title" lists one name but has three or more authors
            self.listed[ref.id] = max(len(names), 3) if len(names) < 3 and _ET_AL_LISTED.search(ref.raw, 0, 300) \
                else len(names)
            if names:
                self.by_family[names[0]].append(ref)
                first = ref.author[0]
                core = _PARTICLES_BEFORE.sub("", first.family)
                if core != first.family:
                    self.after_particles[names[0]] = fold(core)
                for acronym in _acronyms(first.literal or (first.family if " " in first.family else "")):
                    self.by_acronym[acronym].append(ref)
        numbered = [r for r in references if r.citation_number.isdigit()]
        if len(numbered) >= max(1, len(references) // 2):
            self.by_number = {int(r.citation_number): r for r in numbered}
        else:  # an unnumbered list: [n] is the n-th entry
            self.by_number = {i: r for i, r in enumerate(references, 1)}

    def first_author_matches(self, name: str) -> list[Reference]:
        key = fold(name)
        if not key:
            return []
        found = list(self.by_family.get(key, []))
        if not found and len(key) >= 4:
            # "United Nations" for "United Nations Office", "de Meo" for "D'Onorio de Meo", and "Jota" for
            # "de JotaSouza" (a list that runs two surnames together after a particle)
            found = [r for fam, refs in self.by_family.items() if len(fam) >= 4 and
                     (fam.startswith(key) or fam.endswith(key) or key.startswith(fam) or key.endswith(fam) or
                      self.after_particles.get(fam, fam).startswith(key))
                     for r in refs]
        if not found and name.isupper() and 2 <= len(key) <= 8:
            found = list(self.by_acronym.get(key, []))  # "(NHS, 2022)" for "National Health Service. 2022."
        return found


_ACRONYM_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_PRINTED_ACRONYM = re.compile(r"\(([A-Z]{2,8})\)")


def _acronyms(name: str) -> set[str]:
    """The short forms an organisation is cited by: the one it prints in brackets ("... Statistiek (CBS)") and
    the initials of its capitalised words ("American Psychological Association": APA)."""
    if not name:
        return set()
    out = set(_PRINTED_ACRONYM.findall(name))
    capitals = [w for w in _ACRONYM_WORD.findall(_PRINTED_ACRONYM.sub(" ", name)) if w[0].isupper()]
    if len(capitals) >= 2:
        out.add("".join(w[0] for w in capitals))
    return {fold(a) for a in out}


def link_markers(markers: list[Marker], index: ReferenceIndex, text: str) -> list[Citation]:
    """Turn found markers into linked ``Citation`` objects."""
    citations: list[Citation] = []
    order = {ref.id: k for k, ref in enumerate(index.references)}
    for mk in markers:
        items = [_link_item(item, index) for item in mk.items]
        _tell_repeats_apart(mk.items, items, order, text)
        citations.append(Citation(mk.start, mk.end, text[mk.start:mk.end], mk.style, items))
    return citations


_YEAR_AGAIN = re.compile(r"\s*,\s*")


def _tell_repeats_apart(found: list[MarkerItem], linked: list[CitationItem], order: dict[str, int], text: str) -> None:
    """"(van de Wetering et al. 2025, 2025)": one group naming the same authors and year twice in a row cites
    two works that nothing else tells apart; the list prints them in the order the group does. (Not "Lutz
    (2023 study 2; 2023 study 3)": two studies of one work.)"""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for k, (item, out) in enumerate(zip(found, linked)):
        if item.number is None and out.status == "ambiguous":
            groups[(tuple(item.names), item.et_al, item.year, item.suffix)].append(k)
    for ks in groups.values():
        candidates = sorted(linked[ks[0]].refs, key=lambda r: order.get(r, 0))
        in_a_row = all(b == a + 1 and _YEAR_AGAIN.fullmatch(text, found[a].end, found[b].start)
                       for a, b in zip(ks, ks[1:]))
        if len(ks) >= 2 and len(ks) == len(candidates) and in_a_row and \
                all(sorted(linked[k].refs) == sorted(candidates) for k in ks):
            for k, ref_id in zip(ks, candidates):
                linked[k].refs, linked[k].status = [ref_id], "resolved"


# "L. F. Feldman Barrett, 2006": the initials an author-year style adds to tell two authors of one name apart
_LEADING_INITIALS = re.compile(r"((?:[A-Z]\.\s?-?)+)\s*(?=[^\W\d_]{2})")


def _initials_of(given: str) -> str:
    return "".join(re.findall(r"[A-Z]", given))


def _link_item(item: MarkerItem, index: ReferenceIndex) -> CitationItem:
    out = CitationItem(item.label, start=item.start, end=item.end)
    if item.number is not None:
        ref = index.by_number.get(item.number)
        if ref:
            out.status, out.refs = "resolved", [ref.id]
        return out
    name, initials = (item.names[0] if item.names else ""), ""
    lead = _LEADING_INITIALS.match(name)
    if lead:
        name, initials = name[lead.end():], _initials_of(lead.group(1))
    same_author = index.first_author_matches(name) if name else []
    candidates = [r for r in same_author if item.yearless or _year_matches(item, r)]
    if initials:
        by_initials = [r for r in candidates if r.author and _initials_of(r.author[0].given) == initials]
        candidates = by_initials or candidates
    if item.title:  # MLA names the work by its (short) title when the author has several
        titled = [r for r in candidates if _title_fits(item.title, r.title)]
        candidates = titled or candidates
    if not candidates:
        out.suggestions = _suggestions(item, same_author, index)
        return out
    fitting = [r for r in candidates if not _contradicts(item, r, index)]
    if not fitting:  # every candidate contradicts the names given ("Cao and Zhang" but no Zhang)
        out.suggestions = [r.id for r in candidates[:3]]
        return out
    scored = [(_score(item, r, index), r) for r in fitting]
    best = max(score for score, _ in scored)
    winners = [r for score, r in scored if score == best]
    out.refs = [r.id for r in winners]
    out.status = "resolved" if len(winners) == 1 else "ambiguous"
    return out


def _title_fits(short: str, title: str) -> bool:
    """"Proliferation Zones" names "Proliferation zones in the salmon telencephalon"."""
    a, b = fold(short), fold(title)
    return bool(a) and (b.startswith(a) or a.startswith(b) and bool(b))


def _year_matches(item: MarkerItem, ref: Reference) -> bool:
    if item.year is None:
        return ref.year is None
    if ref.year != item.year:
        return False
    return not (item.suffix and ref.year_suffix and item.suffix != ref.year_suffix)


def _contradicts(item: MarkerItem, ref: Reference, index: ReferenceIndex) -> bool:
    """Two or more names given ("Cao and Zhang", "Lutz, Passmore, et al."), and the entry lacks one of the others."""
    if len(item.names) < 2:
        return False
    if not item.et_al and index.families[ref.id] and all(fold(n) in index.families[ref.id][0] for n in item.names):
        return False  # one organisation: "World Health Organization and UNICEF"
    families = index.families[ref.id][1:]
    return not all(any(_same_family(fold(n), f) for f in families) for n in item.names[1:])


def _same_family(cited: str, listed: str) -> bool:
    """"Benito Garzón" cited, "M. Benito Garzón" read as given names "M. Benito" and family "Garzón"."""
    if cited == listed:
        return True
    return min(len(cited), len(listed)) >= 4 and (cited.endswith(listed) or listed.endswith(cited))


def _score(item: MarkerItem, ref: Reference, index: ReferenceIndex) -> float:
    """How well the names in the text fit the entry's author list (higher is better)."""
    families = index.families[ref.id]
    listed = index.listed.get(ref.id, len(families))
    score = 0.0
    if item.suffix and ref.year_suffix == item.suffix:
        score += 2
    elif item.suffix and not ref.year_suffix:
        score -= 0.5
    if len(item.names) >= 2 and not item.et_al:
        # "Cao and Zhang" (both found, or it would contradict): best when nobody else is listed
        score += 2 + (1 if listed == len(item.names) else 0)
    elif item.et_al:
        score += 1 if listed >= 3 else 0.5 if listed == 2 else -0.5  # loose, but no contradiction
    else:
        # one name alone: one author (APA), or two written loosely
        score += 1 if listed == 1 else 0.5 if listed == 2 else 0
    return score


def _suggestions(item: MarkerItem, same_author: list[Reference], index: ReferenceIndex) -> list[str]:
    """Near misses for an unresolved item: same author another year, else a near spelling that year."""
    if same_author:
        by_distance = sorted(same_author, key=lambda r: abs((r.year or 0) - (item.year or 0)))
        return [r.id for r in by_distance[:3]]
    key = fold(item.names[0]) if item.names else ""
    near = [r for r in index.references if r.year == item.year and index.families[r.id]
            and _close(key, index.families[r.id][0])]
    return [r.id for r in near[:3]]


def _close(a: str, b: str) -> bool:
    """Within one edit for short names, two for long ones (Levenshtein, bounded)."""
    if not a or not b or abs(len(a) - len(b)) > 2:
        return False
    limit = 1 if min(len(a), len(b)) < 7 else 2
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        if min(cur) > limit:
            return False
        prev = cur
    return prev[-1] <= limit


# ---------------------------------------------------------------- both directions

def citing_places(paper: Paper) -> dict[str, list[Citation]]:
    """For each reference id, the citations that point at it (resolved or as a candidate), in text order."""
    places: dict[str, list[Citation]] = {ref.id: [] for ref in paper.references}
    for citation in sorted(paper.citations, key=lambda c: c.start):
        seen: set[str] = set()
        for item in citation.items:
            for ref_id in item.refs:
                if ref_id in places and ref_id not in seen:
                    places[ref_id].append(citation)
                    seen.add(ref_id)
    return places


def uncited_references(paper: Paper) -> list[Reference]:
    """Entries of the reference list that no citation points at."""
    places = citing_places(paper)
    return [ref for ref in paper.references if not places[ref.id]]
