"""Snippets made in Python from the stems PostgreSQL gave the query.

ts_headline parses and stems all the text it is given, about 0.3 µs a
character: 4-13 ms for the ten bodies of a page, a third of a search. Here a
regular expression finds the words that begin like a stem of the query
("submarin" finds "submarine" and "submarines"; a stem ending in "i" also
finds the "y" it came from: "navi", "navy"), the best one or two stretches of
the text around them are kept, whole words, and the words found are marked.
A word that only looks like a match ("talkative" for "talk") is marked too; a
word the stemmer changed in its middle ("dying" for "die") is not.
"""

from __future__ import annotations

import re
from bisect import bisect_left

#: Words in one fragment, and fragments in a snippet (joined by " … ").
FRAGMENT_WORDS = 28
FRAGMENTS = 2
#: Words shown before the first word found in a fragment.
LEAD_WORDS = 5
_WORD = re.compile(r"\S+")


def _words(n: int) -> re.Pattern:
    """Up to n whole words: one regular expression call, not a loop."""
    return re.compile(rf"\S+(?:\s+\S+){{0,{n - 1}}}")


_WORDS = {n: _words(n) for n in (FRAGMENT_WORDS, FRAGMENT_WORDS * FRAGMENTS)}
_WORD_END = re.compile(r"\w*")
START, STOP = "\x02", "\x03"  # turned into <mark> by search.backends.marked


def snippet(text: str, stems: list[str]) -> str:
    """Up to FRAGMENTS stretches of `text` of FRAGMENT_WORDS words around the
    words beginning with one of the `stems`, those words between START and
    STOP; the beginning of the text when none is there. Plain text: the caller
    escapes it."""
    text = text.replace(START, "").replace(STOP, "")
    found = _words_found(text, stems)
    if not found:
        return _assemble(text, [_stretch(text, 0, FRAGMENT_WORDS * FRAGMENTS)], [])
    reach = FRAGMENT_WORDS * 7  # characters a fragment spans, about
    starts = [at for at, _end in found]
    # How many words found lie within a fragment's reach of each.
    counts = [bisect_left(starts, at + reach, i) - i for i, at in enumerate(starts)]
    chosen: list[int] = []
    for _ in range(FRAGMENTS):
        # The word found with the most others found within a fragment's reach.
        best, most = None, 0
        for at, count in zip(starts, counts, strict=True):
            if count > most and all(abs(at - c) >= reach for c in chosen):
                best, most = at, count
        if best is None:
            break
        chosen.append(best)
    spans = [
        _stretch(text, _lead_in(text, at), FRAGMENT_WORDS) for at in sorted(chosen)
    ]
    return _assemble(text, spans, found)


def _words_found(text: str, stems: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each word beginning with one of the stems, in order.
    str.find on the lowered text: a regular expression of alternatives is ten
    times slower on a long body."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    found = {}
    for stem in {s.lower() for s in stems if s}:
        # A stem ending in "i" may come from a word ending in "y" ("navi", "navy").
        look = stem[:-1] if stem.endswith("i") and len(stem) > 1 else stem
        at = lowered.find(look)
        while at != -1:
            end = at + len(look)
            fits = look == stem or (end < len(text) and lowered[end] in "iy")
            if fits and (at == 0 or not lowered[at - 1].isalnum()):
                word = _WORD_END.match(text, end)
                found[at] = word.end() if word else end
            at = lowered.find(look, end)
    return sorted(found.items())


def _lead_in(text: str, at: int) -> int:
    """Where a fragment begins: LEAD_WORDS whole words before `at`."""
    before = list(_WORD.finditer(text, max(0, at - LEAD_WORDS * 15), at))
    if len(before) > LEAD_WORDS:
        before = before[-LEAD_WORDS:]
    # The first word of the slice may be cut: start at the next one then.
    if before and before[0].start() > 0 and not text[before[0].start() - 1].isspace():
        before = before[1:]
    return before[0].start() if before else at


def _stretch(text: str, start: int, words: int) -> tuple[int, int]:
    """(start, end) of `words` whole words of `text` from `start` (fewer
    where the text ends first)."""
    pattern = _WORDS.get(words) or _words(words)
    match = pattern.search(text, start)
    return (match.start(), match.end()) if match else (0, 0)


def _assemble(text: str, spans, found) -> str:
    """The spans (merged where they overlap), the words found in them marked,
    "…" where text was left out."""
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif end > start:
            merged.append([start, end])
    parts = []
    for start, end in merged:
        pieces, at = [], start
        for word_start, word_end in found:
            if start <= word_start < end:
                pieces += [text[at:word_start], START, text[word_start:word_end], STOP]
                at = word_end
        pieces.append(text[at:end])
        parts.append(" ".join("".join(pieces).split()))
    if not parts:
        return ""
    lead = "…" if text[: merged[0][0]].strip() else ""
    tail = "…" if text[merged[-1][1] :].strip() else ""
    return lead + " … ".join(parts) + tail
