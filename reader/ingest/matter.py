"""Front and back matter that is not part of the reading flow: dates, correspondence, licences, editors.

Such paragraphs are kept (a reader may want the correspondence address) but written as ``matter``
blocks, so that they neither interrupt the text nor are searched for citations. Only clear forms count:
a "Received" that is not followed by a date is a sentence, not a publication history.
"""
from __future__ import annotations

import re

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATED = re.compile(
    r"^(?:/\s*)?(?:manuscript\s+)?(?:received|accepted|revised|published|submitted|available online|first published|"
    r"version of record|accepted manuscript|date of (?:publication|acceptance))"
    r"(?:\s+(?:online|in revised form|in final form|date|manuscript|received|accepted|for publication|version))*"
    r"\s*[:.]?\s*"
    r"(?:on\s+)?(?:\d{1,2}(?:st|nd|rd|th)?[\s./-]+(?:\d{1,2}|" + _MONTH + r")|" + _MONTH + r"\s+\d{1,2}\b|"
    r"(?:19|20)\d\d\b)", re.IGNORECASE)
_LABELLED = re.compile(
    r"^[*†‡§¶]*\s*(?:correspondence|corresponding authors?|e-?mail(?: addresses?)?|edited by|reviewed by|"
    r"specialty section|academic editors?|handling editors?|citation|(?:►\s*)?(?:please )?cite this article(?: as)?|"
    r"please cite as|"
    r"how to cite(?: this article)?|"
    r"equal contribution|these authors contributed|these authors have contributed|present address|"
    r"copyright|licensee|article history)(?:\s+to)?\s*[:.]", re.IGNORECASE)
# T&F's correspondence label in capitals, no colon: "CONTACT Jenson Lim jenson.lim@stir.ac.uk"
_CONTACT = re.compile(r"^CONTACT\s+\S")
_UNLABELLED = re.compile(r"^[*†‡§¶#⁎∗]*\s*(?:open access\b|copyright\b|licensee\b|correspond|equal contribution|"
                         r"author details\b|authors and affiliations\b|"
                         r"these authors (?:have )?contributed equally)", re.IGNORECASE)
_LICENCE = re.compile(
    r"^(?:©|\(c\)\s|this (?:is an open[- ]access article|article is (?:licensed|distributed|an open access))|"
    r"distributed under the terms|creative commons)", re.IGNORECASE)
# a copyright line whose © the text layer lost or read as "&" (a symbol font's glyph), behind the ISSN as
# Elsevier prints it: "2352-3409/& 2018 The Authors. Published by ...", "2021 The Author(s). Published by"
_COPYRIGHT_YEAR = re.compile(r"^(?:\d{4}-\d{3}[\dX]/)?[©&]?\s*(?:19|20)\d\d\s+(?:the\s+)?authors?\b(?:\(s\))?[.,]?\s",
                             re.IGNORECASE)
# "Dmitry Brychkov and Gary Goggins contributed equally to this work." (names instead of "These authors")
_EQUAL = re.compile(r"^[*†‡§¶#⁎∗]*\s*(?:(?:[A-Z][\w.'’‐-]*|and|&|van|von|de|der|den|da|di|du|le|la),?\s+){3,24}"
                    r"(?:have\s+)?(?:contributed equally|are joint first authors|shared? (?:the )?first authorship)\b")

# the labels in capitals of a first page's side panel, with no colon ("EDITED BY Jose Ramon ...")
_CAPITAL_LABEL = re.compile(r"^[*†]?(?:EDITED BY|REVIEWED BY|CITATION|CORRESPONDENCE|COPYRIGHT|RECEIVED|ACCEPTED|"
                            r"PUBLISHED|SPECIALTY SECTION|DOI(?=\s+10\.))\s+\S")
# a side panel's label in capitals left alone on its line ("ARTICLE HISTORY", "KEYWORDS" beside T&F's abstract)
# the end of a licence sentence cut off from its start, in lower case ("access article under the CC BY license (http://
# creativecommons.org/licenses/by/4.0/).", a line set apart under an abstract): short, naming the licence's address
_LICENCE_TAIL = re.compile(r"\bcreativecommons\.org/licenses/", re.IGNORECASE)
_PANEL_LABEL = re.compile(r"^(?:ARTICLE HISTORY|ARTICLE INFO|KEYWORDS|KEY WORDS)$")
# the same labels with their items run on in one paragraph (T&F: "ARTICLE HISTORY Received 25 September 2019
# Revised ...", "KEYWORDS Yersinia; Galleria; adhesin", Frontiers' "KEYWORDS Bion, climate change, eco-anxiety"):
# capitals, no colon, a date or a list after them (a list with commas ends without a full stop: no sentence)
_PANEL_ITEMS = re.compile(r"^(?:ARTICLE HISTORY\s+(?=(?:Received|Accepted|Revised|Published|Submitted)\b)|"
                          r"KEY ?WORDS\s+(?=[^;.]{1,60};[^;.]{1,60};|(?![^\n]*\.$)[^;.,]{1,60},[^;.,]{1,60},))")

MAX_MATTER = 1200  # a longer paragraph is text, whatever its first words


def is_matter(text: str) -> bool:
    """A paragraph of publication dates, correspondence, licence or editorial notes."""
    t = text.strip()
    if not t or len(t) > MAX_MATTER:
        return False
    return bool(_DATED.match(t) or _LABELLED.match(t) or _LICENCE.match(t) or _UNLABELLED.match(t)
                or _CAPITAL_LABEL.match(t) or _PANEL_LABEL.match(t) or _PANEL_ITEMS.match(t) or _CONTACT.match(t)
                or _COPYRIGHT_YEAR.match(t)
                or (len(t) < 160 and t[0].islower() and _LICENCE_TAIL.search(t))
                or (len(t) < 400 and _EQUAL.match(t)))
