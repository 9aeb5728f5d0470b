"""Personal names as reference lists and bylines print them: particles, folding, family and given."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from reader.model import Name

# Lower-case words that belong to a family name: "van der Berg", "Reis e Sousa", "ibn Sina", "Abd Elhaleem".
PARTICLES = frozenset("van von der den de del della dei di da das do dos du le la les ter ten op het zu san "
                      "los las af al el bin ben ibn abu abd y e st saint vander".split())
PARTICLE_PATTERN = "(?:" + "|".join(sorted(PARTICLES, key=len, reverse=True)) + ")"
"""A regex alternation of the particles, longest first."""


# letters that Unicode does not decompose into a base letter and an accent ("Marın" as a PDF prints "Marín")
_UNDECOMPOSED = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h"})


@lru_cache(maxsize=8192)  # the same few names are folded again for every citation of them
def fold(name: str) -> str:
    """``D’Onorio de Meo`` -> ``donoriodemeo``: no case, accents, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSED))
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)).casefold())


# a capital letter alone ("Marvin E Tanenbaum", "Ivan E. de Araujo") is an initial, even when its lower case is a
# particle ("Reis e Sousa", "Ortega y Gasset" print theirs in lower case)
_INITIAL = re.compile(r"[A-Z]\.?")


def name_from_words(words: list[str]) -> Name:
    """``["Ghulam", "Mustafa"]`` -> Mustafa, Ghulam; particles join the family (``Ludwig van Beethoven``).

    A family name printed in capitals (``Ross G. DOUGLAS``) is typography, and comes out as ``Douglas``.
    """
    if not words:
        return Name()
    if len(words) == 1:
        return Name(family=words[0])
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in PARTICLES and not _INITIAL.fullmatch(words[cut - 1]):
        cut -= 1
    family = " ".join(words[cut:])
    if family.isupper() and len(family) > 2:
        family = family.title()
    return Name(family=family, given=" ".join(words[:cut]))
