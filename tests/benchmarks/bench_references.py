"""Benchmark: reference-entry parsing (reader.cite.references) against the JATS ground truth.

Run: .venv/bin/python tests/benchmarks/bench_references.py [--shared ../shared] [--failures N] [--field F]

Every <ref> of every article in shared/corpus/jats/ is printed the way the evaluation prints it
(citeval.load_truth: the mixed-citation string as typeset, or the eLife-style rendering of an
element-citation) and parsed; numeric-style articles are parsed a second time with the "12. " label the
evaluation puts in front. Fields are scored as citeval.score does: first-author family (case and
diacritics folded), year (first 4 digits), title (norm_title + difflib ratio >= 0.9), DOI (lowercased).

Rows: the printed style of the entry (eLife-style rendering of element-citation, PLOS mixed-citation
with punctuation, BMC mixed-citation without punctuation), the numeric-labelled variants, overall (the
labelled variants included, as the brief asks) and overall with each entry counted once.
Project targets (issue 3): first author >= 0.97, year >= 0.98, title >= 0.90, DOI >= 0.98.

``--stylebench DIR`` scores instead the entries as shared/eval/stylebench.py printed them in each CSL style
(DIR is its generated folder, e.g. /tmp/stylebench/gen, one sub-folder per style with ``*.truth.json``):
first author, year and title wherever the style prints them (issue 11: >= 0.97 / - / 0.95).
"""
from __future__ import annotations

import argparse
import difflib
import sys
import time
from collections import defaultdict
from pathlib import Path

from lxml import etree

from reader.cite.references import ALL_MODEL_FIELDS, parse_reference

REPO = Path(__file__).resolve().parents[2]
TARGETS = {"author": 0.97, "year": 0.98, "title": 0.90, "doi": 0.98}


def markup_of(path: Path) -> dict[str, str]:
    """ref id -> the citation markup the truth came from (mixed-citation, element-citation, ...)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True)
    root = etree.parse(str(path), parser).getroot()
    out = {}
    for ref in root.iter("{*}ref", "ref"):
        for name in ("mixed-citation", "element-citation", "nlm-citation", "citation"):
            if ref.find(f".//{{*}}{name}") is not None or ref.find(f".//{name}") is not None:
                out[ref.get("id", "")] = name
                break
    return out


def style_of(markup: str, article: str) -> str:
    if markup != "mixed-citation":
        return "eLife-style rendering"
    if article.startswith("1471-"):  # BMC's mixed-citation carries no punctuation between the fields
        return "BMC mixed (no punctuation)"
    return "PLOS mixed-citation"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--failures", type=int, default=0, help="print up to N failures per field")
    ap.add_argument("--field", choices=sorted(TARGETS), help="print failures of this field only")
    ap.add_argument("--stylebench", type=Path, metavar="DIR", help="score stylebench's printed entries per style")
    args = ap.parse_args()
    sys.path.insert(0, str(args.shared / "eval"))
    from citeval import fold, load_truth, norm_title

    if args.stylebench:
        by_style(args.stylebench, fold, norm_title, args.failures)
        return

    cases = []  # (style, printed text, truth ref)
    for path in sorted((args.shared / "corpus" / "jats").glob("*.xml")):
        truth = load_truth(path)
        kinds = markup_of(path)
        for i, ref in enumerate(truth.refs):
            style = style_of(kinds.get(ref.rid, ""), path.stem)
            cases.append((style, ref.text, ref))
            if truth.style == "numeric":
                cases.append(("numeric label \"12. \" (same entries)", f"{i + 1}. {ref.text}", ref))

    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    failures: dict[str, list[str]] = defaultdict(list)
    texts = [text for _, text, _ in cases]
    parsed = [parse_reference(text) for text in texts]  # warm-up, and the results scored below
    cpu, wall = [], []
    for _ in range(3):  # best of three: the machine is shared, and the slower runs measure the neighbours
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        for text in texts:
            parse_reference(text)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)

    for (style, text, t), p in zip(cases, parsed):
        first = p.author[0] if p.author else None
        family = (first.family or first.literal) if first else ""
        year = str(p.issued[0]) if p.issued else ""
        checks = {}
        if t.family:
            checks["author"] = (fold(family).strip() == fold(t.family).strip(), family, t.family)
        if t.year:
            checks["year"] = (year[:4] == t.year[:4], year, t.year)
        if t.title:
            ok = difflib.SequenceMatcher(None, norm_title(p.title), norm_title(t.title)).ratio() >= 0.9
            checks["title"] = (ok, p.title, t.title)
        if t.doi:
            checks["doi"] = (p.DOI.lower().strip() == t.doi.lower(), p.DOI, t.doi)
        for name, (ok, got, want) in checks.items():
            rows = (style, "overall") if "label" in style else (style, "overall", "overall, each entry once")
            for row in rows:
                counts[row][name][0] += ok
                counts[row][name][1] += 1
            if not ok and "label" not in style:
                failures[name].append(f"  {text[:160]}\n      got {got!r}\n      want {want!r}")

    print(f"{'style':38s} {'entries':>7s} {'author':>8s} {'year':>8s} {'title':>8s} {'doi':>8s}")
    order = sorted(k for k in counts if not k.startswith("overall")) + ["overall", "overall, each entry once"]
    n_by_style = defaultdict(int)
    for style, _, _ in cases:
        n_by_style[style] += 1
    n_by_style["overall"] = len(cases)
    n_by_style["overall, each entry once"] = sum(1 for style, _, _ in cases if "label" not in style)
    for row in order:
        cells = []
        for name in TARGETS:
            ok, n = counts[row][name]
            cells.append(f"{ok / n:8.3f}" if n else f"{'-':>8s}")
        print(f"{row:38s} {n_by_style[row]:7d} " + " ".join(cells))
    print(f"{'target':38s} {'':7s} " + " ".join(f"{v:8.2f}" for v in TARGETS.values()))
    per_entry = min(cpu) / len(texts)
    print(f"\n{len(texts)} entries: {min(cpu) * 1000:.0f} ms CPU, {min(wall) * 1000:.0f} ms wall (best of 3); "
          f"{per_entry * 1e6:.0f} µs per entry, so 5,000 entries take about {per_entry * 5000 * 1000:.0f} ms")
    if args.failures:
        for name in TARGETS:
            if args.field and name != args.field:
                continue
            print(f"\n{name} failures: {len(failures[name])}")
            for line in failures[name][:args.failures]:
                print(line)


def by_style(gen: Path, fold, norm_title, show: int) -> None:
    """Per CSL style, on the entries stylebench printed (its truth files): first author, year, title and
    container wherever the style prints them, read by the rules alone, by the trained labeller alone, and
    by the engine as shipped (each field from the reader chosen in references.MODEL_FIELDS)."""
    import json

    engines = {"rules": frozenset(), "model": ALL_MODEL_FIELDS, "shipped": None}
    fields = ("author", "year", "title", "container", "volume", "page")
    totals = {e: defaultdict(lambda: [0, 0]) for e in engines}
    print(f"{'style':40s} {'engine':8s} {'entries':>7s} " + " ".join(f"{f:>9s}" for f in fields))
    texts = []
    for folder in sorted(p for p in gen.iterdir() if p.is_dir()):
        refs = [t for path in sorted(folder.glob("*.truth.json"))
                for t in json.loads(path.read_text(encoding="utf-8"))["refs"]]
        texts += [t["text"] for t in refs]
        for engine, model_fields in engines.items():
            ok: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            failed: list[str] = []
            for t in refs:
                p = parse_reference(t["text"], model_fields)
                printed, csl = t.get("printed", {}), t.get("csl", {})
                first = p.author[0] if p.author else None
                container = csl.get("container-title", "")
                folded = fold(t["text"])
                checks = {
                    "author": (printed.get("family") and t["family"],
                               first is not None and fold(first.family or first.literal) == fold(t["family"])),
                    "year": (printed.get("year") and t["year"], str(p.year or "") == t["year"][:4]),
                    "title": (printed.get("title") and t["title"], similar(norm_title, p.title, t["title"])),
                    "container": (container and fold(container) in folded,
                                  similar(norm_title, p.container_title, container)),
                    "volume": (csl.get("volume") and csl["volume"] in t["text"], p.volume == csl.get("volume")),
                    "page": (csl.get("page") and csl["page"].split("-")[0] in t["text"],
                             p.page.split("-")[0].split("\u2013")[0] == csl.get("page", "").split("-")[0]),
                }
                for name, (counted, good) in checks.items():
                    if counted:
                        for bucket in (ok, totals[engine]):
                            bucket[name][0] += bool(good)
                            bucket[name][1] += 1
                        if not good and len(failed) < show and engine != "shipped":
                            failed.append(f"  {name}: {t['text'][:160]}")
            print(f"{folder.name:40s} {engine:8s} {ok['title'][1]:7d} " + cells(ok, fields))
            for line in failed:
                print(line)
    for engine in engines:
        print(f"{'all styles':40s} {engine:8s} {totals[engine]['title'][1]:7d} " + cells(totals[engine], fields))
    timing(texts)


def similar(norm_title, got: str, want: str) -> bool:
    return difflib.SequenceMatcher(None, norm_title(got), norm_title(want)).ratio() >= 0.9


def cells(ok: dict, fields: tuple[str, ...]) -> str:
    return " ".join(f"{ok[n][0] / ok[n][1]:9.3f}" if ok[n][1] else f"{'-':>9s}" for n in fields)


def timing(texts: list[str]) -> None:
    """The labeller's own costs (issue 11: load < 100 ms, a 100-entry list < 100 ms on one core)."""
    from reader.cite import labeller

    start = time.perf_counter()
    model = labeller.load()
    load_ms = (time.perf_counter() - start) * 1000
    lists = [texts[i:i + 100] for i in range(0, len(texts) - 99, 100)][:20]
    best_label = best_parse = float("inf")
    for entries in lists:
        start = time.process_time()
        for text in entries:
            model.label(text)
        best_label = min(best_label, time.process_time() - start)
    per_list = []
    for entries in lists:
        start = time.process_time()
        for text in entries:
            parse_reference(text)
        per_list.append(time.process_time() - start)
    size = labeller.MODEL_PATH.stat().st_size / 1024
    print(f"\nmodel {labeller.MODEL_PATH.name}: {size:.0f} KB, loaded in {load_ms:.1f} ms; a 100-entry list labelled "
          f"in {best_label * 1000:.1f} ms CPU (best of {len(lists)} lists), parsed whole (rules + labeller) in "
          f"{min(per_list) * 1000:.1f} ms (median {sorted(per_list)[len(per_list) // 2] * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
