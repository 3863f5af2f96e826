"""What the search page's partials cost: ten results and the five filter
fields rendered through templates/includes/search_result.html and
search_field.html (the cached template loader, as the site runs), per
search page, in CPU time. The layers issue asked for templates unless they
cost more than 1 ms per search.

    .venv/bin/python bench/search_markup.py [--rounds 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newshub.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.template import engines
    from django.utils.safestring import mark_safe

    from search.forms import SearchForm
    from search.views import Result

    choices = {
        "category": [(f"section-{i}", f"Section {i}") for i in range(12)],
        "author": [(f"author-{i}", f"Author {i}") for i in range(40)],
        "category_ids": {},
        "author_ids": {},
        "sections": {},
    }
    form = SearchForm({"q": "frigate", "category": "section-3"}, choices)
    form.is_valid()
    when = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)
    results = [
        Result(
            f"Frigate programme {i} moves to sea trials",
            f"/2026/11/26/frigate-{i}/",
            "Naval Affairs",
            "/category/naval-affairs/",
            "Amina Rauf",
            when,
            mark_safe("…the <mark>frigate</mark> left the yard on Tuesday…"),
        )
        for i in range(10)
    ]
    page = engines["django"].from_string(
        "{% load search_tags %}"
        "{% search_field form.category choices.category %}"
        "{% search_field form.author choices.author %}"
        "{% search_field form.date_from %}{% search_field form.date_to %}"
        "{% search_field form.order form.fields.order.choices %}"
        "{% for result in results %}{% search_result result %}{% endfor %}"
    )
    context = {"form": form, "choices": choices, "results": results}
    page.render(context)  # loads and caches the partials
    started = time.process_time()
    for _ in range(args.rounds):
        page.render(context)
    per_page = (time.process_time() - started) / args.rounds * 1000
    print(f"partials of one search page (10 results, 5 fields): {per_page:.3f} ms CPU")


if __name__ == "__main__":
    main()
