"""Snippets made from the query's stems (search/snippets.py, PostgreSQL)."""

from __future__ import annotations

from search.backends import marked
from search.snippets import FRAGMENT_WORDS, START, STOP, snippet


def _marked_words(text: str) -> list[str]:
    return [part.split(STOP)[0] for part in text.split(START)[1:]]


def test_words_beginning_with_a_stem_are_marked_whatever_their_case():
    text = "Submarines left port. The SUBMARINE fleet and a submariner; no subway."
    assert _marked_words(snippet(text, ["submarin"])) == [
        "Submarines", "SUBMARINE", "submariner",
    ]  # fmt: skip


def test_a_stem_ending_in_i_finds_the_y_it_came_from_but_not_a_word_inside_a_word():
    text = "The navy and two navies met; the caravan and Knavish crews did not."
    assert _marked_words(snippet(text, ["navi"])) == ["navy", "navies"]


def test_a_match_deep_in_a_long_body_is_shown_with_the_words_before_it():
    body = "Filler sentence about nothing. " * 200 + "The frigate sailed at dawn."
    text = snippet(body, ["frigat"])
    assert text.startswith("…") and f"{START}frigate{STOP} sailed at dawn." in text
    assert len(text.split()) <= FRAGMENT_WORDS + 1


def test_two_distant_passages_are_joined_with_an_ellipsis():
    body = (
        "Radar upgrade begins. " + "Unrelated words here. " * 100
        + "Later the radar failed. " + "More filler text. " * 100
    )  # fmt: skip
    text = snippet(body, ["radar"])
    assert _marked_words(text) == ["Radar", "radar"]
    assert " … " in text and text.endswith("…") and not text.startswith("…")


def test_without_a_match_the_beginning_is_shown():
    body = "Opening words of the story. " * 50
    text = snippet(body, ["zebra"])
    assert text.startswith("Opening words") and text.endswith("…")
    assert START not in text


def test_the_text_cannot_mark_or_inject_anything():
    body = f"<script>alert(1)</script> {START}fake{STOP} & a real frigate"
    html = marked(snippet(body, ["frigat"]))
    assert html == (
        "&lt;script&gt;alert(1)&lt;/script&gt; fake &amp; a real <mark>frigate</mark>"
    )
    assert snippet("", ["frigat"]) == ""
