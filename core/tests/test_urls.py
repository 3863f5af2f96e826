from __future__ import annotations

from django.urls import clear_script_prefix, reverse, set_script_prefix

from lib.urls import cached_reverse


def test_cached_reverse_gives_what_reverse_gives_under_any_script_prefix():
    """A site served under a sub-path (SCRIPT_NAME) gets its own links, not
    the ones remembered for the root, and unicode slugs are quoted the same."""
    kwargs = {"year": "2026", "month": "03", "day": "10", "slug": "zażółć-gęślą"}
    at_root = cached_reverse("articles:detail", **kwargs)
    assert at_root == reverse("articles:detail", kwargs=kwargs)
    assert at_root == "/2026/03/10/za%C5%BC%C3%B3%C5%82%C4%87-g%C4%99%C5%9Bl%C4%85/"
    set_script_prefix("/news/")
    try:
        assert cached_reverse("articles:detail", **kwargs) == "/news" + at_root
        assert cached_reverse("articles:tag", slug="radar") == "/news/tag/radar/"
    finally:
        clear_script_prefix()
    assert cached_reverse("articles:detail", **kwargs) == at_root
