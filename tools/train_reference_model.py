"""Train the reference-entry labeller (reader/cite/reference_model.crfsuite) from labelled entries.

    .venv/bin/python tools/train_reference_model.py TRAIN.jsonl [--heldout HELDOUT.jsonl] [--out PATH]

TRAIN.jsonl comes from tools/reference_data.py (see tools/README.md for the whole recipe). Each entry is cut
into whitespace tokens exactly as the parser cuts it at run time (reader.cite.labeller.tokens, after the
leading label is taken off); a token's label is the label most of its letters and digits carry.
``--heldout`` prints token accuracy per label on entries of articles kept out of training.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reader.cite.labeller import CODE_TO_LABEL, MODEL_PATH, features, tokens  # noqa: E402

_LABEL = re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,3}\)|\d{1,3}[.)]?)\s+")
_QUOTES = str.maketrans({ch: '"' for ch in "\u201c\u201d\u201e\u00ab\u00bb\u2033\u02ee"})


def sequence(entry: dict) -> tuple[list[str], list[str]]:
    text, codes = entry["text"].translate(_QUOTES), entry["labels"]
    m = _LABEL.match(text)
    if m:  # the parser takes the label off with rules before labelling
        text, codes = text[m.end():], codes[m.end():]
    words, labels = [], []
    for tok in tokens(text):
        span = codes[tok.start:tok.end]
        core = [c for ch, c in zip(tok.text, span) if ch.isalnum()] or list(span)
        words.append(tok.text)
        labels.append(CODE_TO_LABEL[Counter(core).most_common(1)[0][0]])
    return words, labels


def read(path: Path) -> list[tuple[list[str], list[str], str]]:
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            words, labels = sequence(entry)
            if words:
                out.append((words, labels, entry.get("source", "")))
    return out


def main() -> None:
    import pycrfsuite

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("train", type=Path)
    ap.add_argument("--heldout", type=Path)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--c1", type=float, default=0.5, help="L1 weight: prunes features, keeps the file small")
    ap.add_argument("--c2", type=float, default=0.01)
    args = ap.parse_args()

    data = read(args.train)
    random.Random(11).shuffle(data)
    trainer = pycrfsuite.Trainer(verbose=False)
    for words, labels, _src in data:
        trainer.append(features(words), labels)
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
                        "feature.possible_transitions": True})
    t0 = time.perf_counter()
    trainer.train(str(args.out))
    print(f"trained on {len(data)} entries ({sum(len(w) for w, _l, _s in data)} tokens) in "
          f"{time.perf_counter() - t0:.0f} s -> {args.out} ({args.out.stat().st_size / 1024:.0f} KB)")

    if args.heldout:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(args.out))
        right, total = Counter(), Counter()
        by_source = Counter(), Counter()
        for words, labels, src in read(args.heldout):
            got = tagger.tag(features(words))
            ok = all(g == t for g, t in zip(got, labels))
            by_source[0][src] += ok
            by_source[1][src] += 1
            for g, t in zip(got, labels):
                total[t] += 1
                right[t] += g == t
        print("held-out token accuracy per label:")
        for label in sorted(total, key=lambda k: -total[k]):
            print(f"  {label:10s} {right[label] / total[label]:.3f}  ({total[label]} tokens)")
        print(f"  all        {sum(right.values()) / sum(total.values()):.3f}")
        whole = sum(by_source[0].values()) / max(sum(by_source[1].values()), 1)
        print(f"entries labelled entirely right: {whole:.3f}")


if __name__ == "__main__":
    main()
