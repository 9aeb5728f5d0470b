"""Label the tokens of one reference entry with a trained sequence model (a linear-chain CRF).

The rule parser (``references.py``) reads an entry by the shapes its author wrote rules for; this
labeller reads it by what it learned from entries printed in many styles (``tools/train_reference_model.py``
makes the model from the corpus's tagged references rendered in 42 CSL styles plus the publishers' own
``mixed-citation`` strings). A style nobody wrote rules for is then fixed by adding its entries to the
training data, not a branch to the parser.

The entry reaches the labeller with its label (``1.``, ``[1]``) and identifiers (DOI, URL, PMID) already
taken out by rules. Tokens are whitespace-separated words; each gets one of ``LABELS``. The features are
the word itself, its shape, punctuation around it, where it sits in the entry, and a few cues of the
entry so far (a year seen, a quote opened, how many sentences ended): what a reader looks at.

The model file ships in the package (``reference_model.crfsuite``). A missing or damaged file raises
``ModelError`` from ``load``; ``default_labeller`` then warns once and returns None, and the parser uses
its rules for every field.
"""
from __future__ import annotations

import logging
import re
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["LABELS", "MODEL_PATH", "ModelError", "Labeller", "Token", "default_labeller", "features", "load",
           "tokens"]

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).with_name("reference_model.crfsuite")
LABELS = ("author", "year", "title", "container", "volume", "issue", "pages", "publisher", "other")
# A real entry has a few dozen tokens; a list of hundreds of authors is left to the rules.
MAX_TOKENS = 400
CODE_TO_LABEL = {"A": "author", "Y": "year", "T": "title", "C": "container", "V": "volume", "I": "issue",
                 "P": "pages", "B": "publisher", "O": "other"}


class ModelError(RuntimeError):
    """The reference model file is missing or cannot be read."""


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ was a tenth of the labeller's time
class Token:
    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The whitespace-separated words (``str.split``: the same cut as ``\\S+``) and where they stand."""
    out = []
    end = 0
    find = text.find
    for word in text.split():
        start = find(word, end)  # only white space lies between the last word's end and this word
        end = start + len(word)
        out.append(Token(word, start, end))
    return out


# ------------------------------------------------------------------------------------------ features

_EDGE_PUNCT = "\"'()[]{}.,;:!?\u2018\u2019\u201c\u201d"
_YEAR = re.compile(r"^\(?\[?(1[5-9]\d\d|20\d\d)[a-z]?\)?\]?[.,;:]?\)?$")
_YEAR_INSIDE = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_INITIALS = re.compile(r"^(?:[A-Z]\.?[-\u2010]?){1,3}[,;:]?$")
_DOTTED_INITIALS = re.compile(r"^(?:[A-Z]\.[-\u2010]?){1,3}[,;:]?$")
_RANGE = re.compile(r"\d+\s?[-\u2010\u2013\u2014]\s?\d+")
_VOL_PAGES = re.compile(r"^\d+(?:\(\d+[-\u2013]?\d*\))?[:,]")
_SHAPE_RUN = re.compile(r"(.)\1{2,}")
_SENTENCE_END = re.compile(r"[^\W\d_]{2,}[.?!][\"'\u201d]?$")


# the classes of _shape for ASCII, as a byte table: bytes.translate is a table lookup per byte, no dict
_ASCII_SHAPE = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                               b"X" * 26 + b"x" * 26 + b"d" * 10)


def _two(m: re.Match) -> str:
    return m.group(1) * 2  # as the template "\1\1", which re compiles again on every call


def _shape(word: str) -> str:
    if word.isascii():
        shape = word.encode("ascii").translate(_ASCII_SHAPE).decode("ascii")
        return _SHAPE_RUN.sub(_two, shape) if len(shape) > 2 else shape
    out = []
    for ch in word:
        if ch.isupper():
            out.append("X")
        elif ch.isalpha():
            out.append("x")
        elif ch.isdigit():
            out.append("d")
        else:
            out.append(ch)
    return _SHAPE_RUN.sub(_two, "".join(out))


def _short(word: str) -> str:
    """A run-on "word" (a URL, a glued line) by its ends: they say what it is, and bound the time."""
    return word if len(word) <= 40 else word[:20] + word[-20:]


def _word_features(word: str) -> dict[str, str | bool]:
    core = word.strip(_EDGE_PUNCT)
    low = core.lower()
    shape = _shape(word)
    f: dict[str, str | bool] = {
        "w": low[:20],
        "shape": shape[:12],
        "first": word[:1] if not word[:1].isalnum() else "a",
        "last": word[-1:] if not word[-1:].isalnum() else "a",
    }
    # each pattern only where it can match: initials open with a capital A-Z and are short; the others need a
    # digit, and a word has one exactly when its shape has a "d"
    if "A" <= word[:1] <= "Z" and len(word) <= 10 and _INITIALS.match(word):
        f["initials"] = True
        if _DOTTED_INITIALS.match(word):  # dotted initials are initials too
            f["dotted"] = True
    if "d" in shape:
        if _YEAR.match(word):
            f["year"] = True
        elif _YEAR_INSIDE.search(word):
            f["has_year"] = True
        if _RANGE.search(word):
            f["range"] = True
        if _VOL_PAGES.match(word):
            f["volpages"] = True
        if core.isdigit():
            f["num"] = "long" if len(core) > 4 else "short"
    if core[:1].isupper():
        f["cap"] = True
        if core.isupper() and len(core) > 1:
            f["allcaps"] = True
    elif core[:1].islower():
        f["lower"] = True
    if len(core) > 3 and word.endswith(".") and core[:1].isupper() and len(core) < 8:
        f["abbrev"] = True
    if "-" in core or "\u2010" in core:
        f["hyphen"] = True
    return f


def _bucket(i: int) -> str:
    return str(i) if i < 4 else "4-5" if i < 6 else "6-9" if i < 10 else "10-19" if i < 20 else "20+"


@lru_cache(maxsize=8192)  # a few MB: the words of many lists
def _word_attrs(word: str) -> tuple[dict[str, str | bool], tuple[str, ...], dict[int, tuple[str, ...]]]:
    """A word's features, its own attributes, and what it adds as each neighbour (-2, -1, 1, 2).

    Cached: an entry's words repeat across a list (names, journals, punctuation), and building these
    strings was most of the labeller's time. The dict is shared, so it is only ever read."""
    f = _word_features(word)
    own = tuple(f"{k}={v}" if v is not True else k for k, v in f.items())
    far = (f"shape={f['shape']}", f"last={f['last']}")
    near = far + (f"w={f['w']}",) + tuple(key for key in ("initials", "year", "cap", "lower", "num") if key in f)
    as_neighbour = {off: tuple(f"{off}:{a}" for a in (near if abs(off) == 1 else far)) for off in (-2, -1, 1, 2)}
    return f, own, as_neighbour


# A word as the tagger sees it: (a year, an odd number of quotes, a sentence end) for the state carried along
# the entry, the word's own attributes, and what it adds as the word two before, one before, one after and two
# after another word (offsets -2, -1, 1, 2); only attributes the model knows.
_WordView = tuple[tuple[bool, bool, bool], tuple[bytes, ...], tuple[bytes, ...], tuple[bytes, ...], tuple[bytes, ...],
                  tuple[bytes, ...]]
_STATE_ENDS = ".?!\"'\u201d"  # what a sentence end (_SENTENCE_END) closes with


@lru_cache(maxsize=32768)  # a word and its features: each points at a view shared by many words
def _known_word_attrs(word: str, known: frozenset[str]) -> _WordView:
    """``_word_attrs`` less the attributes not in ``known``, and the word's part in the entry's state.

    Most words are unknown to the model as words ("w=..."); their view depends on their other features
    alone, so words of one shape share it and it is built once."""
    f = _word_features(word)
    if f["w"] not in _words_known(known):
        f["w"] = None  # no "w=" attribute of this word (as itself or as a neighbour) is known
    quotes = word.count('"') + word.count("\u201c") + word.count("\u201d")
    state = (bool(f.get("year") or f.get("has_year")), quotes % 2 == 1,
             word[-1:] in _STATE_ENDS and bool(_SENTENCE_END.search(word)) and not f.get("initials"))
    return _view(state, tuple(f.items()), known)


@lru_cache(maxsize=4)
def _words_known(known: frozenset[str]) -> frozenset[str]:
    """The words that have an attribute in the model: as the word itself, or as the word before or after."""
    return frozenset(a.split("=", 1)[1] for a in known if a.startswith(("w=", "-1:w=", "1:w=")))


@lru_cache(maxsize=16384)
def _view(state: tuple[bool, bool, bool], items: tuple, known: frozenset[str]) -> _WordView:
    f = dict(items)
    own = [f"{k}={v}" if v is not True else k for k, v in items if v is not None]
    far = [f"shape={f['shape']}", f"last={f['last']}"]
    near = far + ([f"w={f['w']}"] if f["w"] is not None else []) + [
        key for key in ("initials", "year", "cap", "lower", "num") if key in f]
    neighbours = [tuple([a.encode() for a in [f"{off}:{a}" for a in (near if abs(off) == 1 else far)] if a in known])
                  for off in (-2, -1, 1, 2)]
    return state, tuple([a.encode() for a in own if a in known]), *neighbours


_POSITIONS = tuple(f"pos={_bucket(i)}" for i in range(21))
_RELATIVE = tuple(f"rel={r}" for r in range(10))
_SENTENCES = tuple(f"sent={k}" for k in range(5))
_EDGES = {off: (f"{off}:BOS",) if off < 0 else (f"{off}:EOS",) for off in (-2, -1, 1, 2)}


def features(words: list[str], known: frozenset[str] | None = None) -> list[list[str]] | list[list[bytes]]:
    """crfsuite attribute lists, one per word.

    With ``known`` (the model's attributes) each list keeps only those, in the same order and encoded in
    UTF-8: the tagger skips any other, so it gives the same labels, and converting the unknown ones was a
    third of its time.
    """
    if known is not None:
        return _known_features([w if len(w) <= 40 else _short(w) for w in words], known)
    words = [_short(w) for w in words]
    views = [_word_attrs(w) for w in words]
    n = len(words)
    out = []
    seen_year = in_quote = quote_closed = False
    sentences = 0
    for i, (f, own, _) in enumerate(views):
        attrs = _place_attrs(f"pos={_bucket(i)}", f"rel={10 * i // max(n, 1)}", f"sent={min(sentences, 4)}",
                             seen_year, in_quote, quote_closed)
        attrs.extend(own)
        for off in (-2, -1, 1, 2):
            j = i + off
            if j < 0:
                attrs.append(f"{off}:BOS")
                continue
            if j >= n:
                attrs.append(f"{off}:EOS")
                continue
            attrs.extend(views[j][2][off])
        out.append(attrs)
        word = words[i]
        if f.get("year") or f.get("has_year"):
            seen_year = True
        quotes = word.count('"') + word.count("\u201c") + word.count("\u201d")
        if quotes % 2 == 1:
            quote_closed = in_quote
            in_quote = not in_quote
        if _SENTENCE_END.search(word) and not f.get("initials"):
            sentences += 1
    return out


def _known_features(words: list[str], known: frozenset[str]) -> list[list[bytes]]:
    """``features`` for the tagger: the same lists, less what the model does not know (see ``features``), in
    UTF-8: pycrfsuite takes bytes as they are, and encoding each attribute was a fifth of the tagger's time."""
    views = [_known_word_attrs(w, known) for w in words]
    n = len(words)
    edges = _known_edges(known)
    # what each word gets from the word two before it, one before, one after and two after (or the entry's edge)
    before2 = [edges[0], edges[0], *[v[2] for v in views[:n - 2]]][:n]
    before1 = [edges[1], *[v[3] for v in views[:n - 1]]][:n]
    after1 = [*[v[4] for v in views[1:]], edges[2]][:n]
    after2 = [*[v[5] for v in views[2:]], edges[3], edges[3]][:n]
    starts = _known_starts(known)
    out = []
    seen_year = in_quote = quote_closed = False
    sentences = 0
    for i, (view, b2, b1, a1, a2) in enumerate(zip(views, before2, before1, after1, after2)):
        key = (i if i < 20 else 20, 10 * i // n, sentences if sentences < 4 else 4, seen_year, in_quote, quote_closed)
        start = starts.get(key)
        if start is None:
            start = starts[key] = _known_start(key, known)
        out.append([*start, *view[1], *b2, *b1, *a1, *a2])
        has_year, odd_quotes, sentence_end = view[0]
        seen_year = seen_year or has_year
        if odd_quotes:
            quote_closed = in_quote
            in_quote = not in_quote
        sentences += sentence_end
    return out


@lru_cache(maxsize=4)
def _known_edges(known: frozenset[str]) -> tuple[tuple[str, ...], ...]:
    """What a word next to the entry's start or end gets for its missing neighbours at -2, -1, 1, 2."""
    return tuple(tuple(a.encode() for a in _EDGES[off] if a in known) for off in (-2, -1, 1, 2))


@lru_cache(maxsize=4)
def _known_starts(known: frozenset[str]) -> dict[tuple, tuple[str, ...]]:
    """A cache of ``_known_start`` for one model: a few thousand keys at most (position, relative position,
    sentences, three flags), filled as they are met."""
    return {}


def _known_start(key: tuple, known: frozenset[str]) -> tuple[str, ...]:
    """The attributes a word has by its place in the entry and the entry's state so far (see ``features``)."""
    position, relative, sentences, seen_year, in_quote, quote_closed = key
    attrs = _place_attrs(_POSITIONS[position], _RELATIVE[relative], _SENTENCES[sentences], seen_year, in_quote,
                         quote_closed)
    return tuple(a.encode() for a in attrs if a in known)


def _place_attrs(position: str, relative: str, sentences: str, seen_year: bool, in_quote: bool,
                 quote_closed: bool) -> list[str]:
    """A word's attributes by its place in the entry and the entry's state so far (one list for training and
    for the fast path, so the two cannot drift apart)."""
    attrs = ["bias", position, relative, sentences]
    if seen_year:
        attrs.append("after_year")
    if in_quote:
        attrs.append("in_quote")
    elif quote_closed:
        attrs.append("after_quote")
    return attrs


# ------------------------------------------------------------------------------------------- the model

class Labeller:
    """A loaded model: ``label(text)`` gives each whitespace token of the entry and its label."""

    def __init__(self, tagger, model: bytes) -> None:
        self._tagger = tagger
        self._model = model  # crfsuite reads the model from these bytes: they must live as long as it
        self._known = _attributes(tagger)

    def label(self, text: str) -> list[tuple[Token, str]]:
        toks = tokens(text)
        return list(zip(toks, self.label_words([t.text for t in toks])))

    def label_words(self, words: list[str]) -> list[str]:
        """The label of each of an entry's whitespace tokens (``text.split()``), without their places."""
        if not words or len(words) > MAX_TOKENS:
            return []  # nothing to read, or a consortium list / run-on text: the rules read it alone
        return self._tagger.tag(features(words, self._known))


def _attributes(tagger) -> frozenset[str] | None:  # type: ignore[no-untyped-def]
    """The attributes the model has weights for; None when they cannot be had: then every attribute goes to
    the tagger, which skips the unknown ones, so the labels are the same (only slower). pycrfsuite's info()
    dumps the model into a temporary file, which fails on a full disk or an unwritable temporary folder."""
    try:
        return frozenset(tagger.info().attributes)
    except (RuntimeError, OSError):
        return None


def load(path: Path = MODEL_PATH) -> Labeller:
    """Open the model file; ModelError (one line, naming the file) when it is missing or unreadable."""
    import pycrfsuite

    if not path.is_file():
        raise ModelError(f"reference model not found: {path}")
    data = path.read_bytes()
    if not _header_ok(data):  # crfsuite trusts the file: a truncated one would crash the process
        raise ModelError(f"reference model cannot be read: {path} (damaged or not a crfsuite model)")
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open_inmemory(data)
    except Exception as exc:
        raise ModelError(f"reference model cannot be read: {path} ({exc})") from None
    if not set(tagger.labels()) <= set(LABELS):
        raise ModelError(f"reference model has unknown labels: {path}")
    return Labeller(tagger, data)


def _header_ok(data: bytes) -> bool:
    """crfsuite's model header: magic, the file's own size, type, version, counts and section offsets."""
    if len(data) < 48 or data[:4] != b"lCRF" or data[8:12] != b"FOMC":
        return False
    size = struct.unpack_from("<I", data, 4)[0]
    offsets = struct.unpack_from("<5I", data, 28)
    return size == len(data) and all(0 < off < size for off in offsets)


@lru_cache(maxsize=1)
def default_labeller() -> Labeller | None:
    """The packaged model, loaded once; None (and one warning) when it cannot be used: rules then parse."""
    try:
        return load()
    except (ModelError, ImportError) as exc:
        log.warning("%s; reference entries are parsed by rules only", exc)
        return None
