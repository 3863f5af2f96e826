from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Author
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    TagFactory,
)
from search import services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_settings")]


def _article(**fields) -> Article:
    """An article, indexed as the signals index it after commit."""
    article = ArticleFactory.create(**fields)
    services.index_articles([article.pk])
    return article


def _results(client, **params) -> list[str]:
    response = client.get("/search/", params)
    assert response.status_code == 200
    page = response.context["page_obj"]
    return [result.headline for result in page.object_list] if page else []


def test_a_headline_match_ranks_above_a_body_match(client):
    _article(headline="Budget talks", body="<p>The corvette order slipped again.</p>")
    _article(headline="Corvette order slips", body="<p>Officials confirmed it.</p>")
    assert _results(client, q="corvette") == ["Corvette order slips", "Budget talks"]


def test_english_stemming_finds_other_forms_of_a_word(client):
    _article(headline="Navy commissions two frigates")
    assert _results(client, q="frigate") == ["Navy commissions two frigates"]
    assert _results(client, q="commissioning") == ["Navy commissions two frigates"]


def test_the_last_word_matches_as_a_prefix(client):
    _article(headline="Submarine spotted near the strait")
    assert _results(client, q="submar") == ["Submarine spotted near the strait"]


def test_common_english_words_do_not_have_to_match(client):
    """ "the", "of", "what"... narrow nothing: a query need not find them."""
    _article(headline="Defence minister resigns", body="<p>Statement soon.</p>")
    assert _results(client, q="what the minister of defence said") == []
    assert _results(client, q="the minister of defence") == ["Defence minister resigns"]


def test_a_last_word_typed_whole_is_not_a_prefix(client):
    """A last word some article holds whole is that word (and its other
    forms), not every word it begins; one no article holds is a prefix."""
    now = timezone.now()
    _article(headline="Minister resigns", published_at=now)
    _article(headline="Ministry reorganised", published_at=now - dt.timedelta(hours=1))
    _article(headline="Ministers meet", published_at=now - dt.timedelta(hours=2))
    assert _results(client, q="minister", order="newest") == [
        "Minister resigns", "Ministers meet",
    ]  # fmt: skip
    assert _results(client, q="minis", order="newest") == [
        "Minister resigns", "Ministry reorganised", "Ministers meet",
    ]  # fmt: skip
    html = client.get("/search/", {"q": "minister"}).content.decode()
    assert "<mark>Ministry" not in html


def test_tags_and_authors_are_searchable(client):
    author = AuthorFactory(display_name="Leila Haddad", slug="leila-haddad")
    tag = TagFactory(name="Hypersonics", slug="hypersonics")
    _article(headline="Test flight report", author=author, tags=[tag])
    assert _results(client, q="haddad") == ["Test flight report"]
    assert _results(client, q="hypersonics") == ["Test flight report"]


def test_snippets_highlight_matches_and_escape_the_text(client):
    _article(
        headline="Contract signed",
        body="<p>The &lt;b&gt;radar&lt;/b&gt; contract is worth 3 &amp; more.</p>",
    )
    _article(
        headline='Radar <script>alert("x")</script>',
        author=AuthorFactory(display_name="<i>Ana</i> & co"),
        category=CategoryFactory(name="<b>Air</b>", slug="air"),
    )
    html = client.get("/search/", {"q": "radar"}).content.decode()
    assert "<mark>radar</mark>" in html.lower()
    # Text that looks like markup never becomes markup: it is shown escaped.
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "&lt;i&gt;Ana&lt;/i&gt; &amp; co · <time" in html
    assert ">&lt;b&gt;Air&lt;/b&gt;</a>" in html


def test_a_result_links_the_article_and_its_section_with_the_local_date(
    client, site_settings
):
    """The card of a result: headline and section linked where they live,
    the author, and the day in the site's time zone (23:30 UTC is the next
    day in Warsaw)."""
    site_settings.time_zone = "Europe/Warsaw"
    site_settings.save()
    land = CategoryFactory(slug="land", name="Land")
    armour = CategoryFactory(slug="armour", name="Armour", parent=land)
    author = AuthorFactory(display_name="Ilse Brandt")
    when = dt.datetime(2026, 3, 9, 23, 30, tzinfo=dt.UTC)
    article = _article(
        headline="Tank upgrade trials", category=armour, author=author,
        published_at=when,
    )  # fmt: skip
    html = client.get("/search/", {"q": "tank"}).content.decode()
    with timezone.override("Europe/Warsaw"):
        url = article.get_absolute_url()
    assert url.startswith("/2026/03/10/")
    assert f'<a href="{url}">Tank upgrade trials</a>' in html
    assert '<a class="kicker" href="/category/land/armour/">Armour</a>' in html
    assert (
        'Ilse Brandt · <time datetime="2026-03-10T00:30:00+01:00">March 10, 2026'
        in html
    )


def test_a_word_found_deep_in_a_long_article_is_shown_in_its_snippet(client):
    filler = "<p>" + "The committee met again without a decision. " * 300 + "</p>"
    _article(headline="Committee report", body=filler + "<p>The frigates sailed.</p>")
    html = client.get("/search/", {"q": "frigate"}).content.decode()
    assert "<mark>frigates</mark> sailed" in html.replace("<mark>F", "<mark>f")


def test_the_wordpress_address_gives_the_same_results(client):
    _article(headline="Border patrols expand")
    response = client.get("/", {"s": "patrols"})
    assert response.status_code == 200
    assert "Border patrols expand" in response.content.decode()
    assert "Results for “patrols”" in response.content.decode()


def test_unpublished_articles_are_never_found(client):
    _article(headline="Draft about drones", status=Article.Status.DRAFT)
    _article(
        headline="Scheduled drones story",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + dt.timedelta(days=1),
    )
    assert _results(client, q="drones") == []


def test_filters_by_section_author_and_dates(client, site_settings):
    land = CategoryFactory(slug="land", name="Land")
    armour = CategoryFactory(slug="armour", name="Armour", parent=land)
    sea = CategoryFactory(slug="sea", name="Sea")
    writer = AuthorFactory(slug="writer-x")
    now = timezone.now()
    _article(
        headline="Tank deal A",
        category=armour,
        published_at=now - dt.timedelta(days=40),
    )
    _article(headline="Tank deal B", category=sea, author=writer)
    shared = _article(headline="Tank deal C", category=sea)
    shared.coauthors.add(writer)
    assert _results(client, q="tank", category="land") == ["Tank deal A"]
    assert set(_results(client, q="tank", author="writer-x")) == {
        "Tank deal B",
        "Tank deal C",
    }
    recent = (now - dt.timedelta(days=2)).date().isoformat()
    assert set(_results(client, q="tank", date_from=recent)) == {
        "Tank deal B",
        "Tank deal C",
    }
    old = (now - dt.timedelta(days=30)).date().isoformat()
    assert _results(client, q="tank", date_to=old) == ["Tank deal A"]


def test_dates_at_the_ends_of_the_calendar_are_refused_not_a_server_error(
    client, site_settings
):
    """The day after 9999-12-31, or 0001-01-01 in a time zone east of UTC,
    overflowed Python's dates: a 500."""
    _article(headline="Tank deal A")
    site_settings.time_zone = "Asia/Karachi"
    site_settings.save()
    for dates in ({"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}):
        response = client.get("/search/", {"q": "tank", **dates})
        assert response.status_code == 200
        assert "Enter a date" in response.content.decode()
    assert _results(client, q="tank", date_from="1999-01-01", date_to="9998-12-31")


def test_newest_first_and_pagination(client):
    now = timezone.now()
    for i in range(13):
        _article(
            headline=f"Drill report {i:02d}", published_at=now - dt.timedelta(hours=i)
        )
    first = _results(client, q="drill", order="newest")
    assert first[0] == "Drill report 00" and len(first) == 10
    second = _results(client, q="drill", order="newest", page=2)
    assert second == ["Drill report 10", "Drill report 11", "Drill report 12"]
    html = client.get("/search/", {"q": "drill", "order": "newest"}).content.decode()
    assert "13 results" in html and "page=2" in html


def test_no_results_gets_a_friendly_page_with_suggestions(client):
    _article(headline="Something else entirely", tags=[TagFactory(name="Logistics")])
    response = client.get("/search/", {"q": "qwertyuiop"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing matched “qwertyuiop”" in html
    assert "Check the spelling" in html
    assert "Logistics" in html


def test_the_no_results_page_suggests_this_weeks_most_read_as_they_change(
    client, django_capture_on_commit_callbacks, settings
):
    from audience import services as audience
    from audience.models import DailyReads

    today = timezone.localdate()
    first = _article(headline="Harbour cranes replaced")
    second = _article(headline="Radar site upgraded")
    DailyReads.objects.create(article=first, day=today, count=5)
    audience.refresh_rankings()
    html = client.get("/search/", {"q": "qwertyuiop"}).content.decode()
    assert html.index("Harbour cranes replaced") < html.index("Radar site upgraded")
    DailyReads.objects.create(article=second, day=today, count=9)
    with django_capture_on_commit_callbacks(execute=True):
        audience.refresh_rankings()  # the next refresh, five minutes later
    html = client.get("/search/", {"q": "qwertyuiop"}).content.decode()
    # As old as the lists on any cached page may be (PAGE_CACHE_SECONDS)...
    assert html.index("Harbour cranes replaced") < html.index("Radar site upgraded")
    later = timezone.now() + dt.timedelta(seconds=settings.PAGE_CACHE_SECONDS + 1)
    with time_machine.travel(later):
        html = client.get("/search/", {"q": "qwertyuiop"}).content.decode()
    # ...and no older.
    assert html.index("Radar site upgraded") < html.index("Harbour cranes replaced")


FOUND = "found"  # the article is listed
NOTHING = "nothing"  # "Nothing matched …", with suggestions
NO_WORDS = "no words"  # "Please type a word or two …"


@pytest.mark.parametrize(
    ("query", "outcome"),
    [
        ('tank"', FOUND), ('"tank', FOUND), ("(tank", FOUND), ("tank)", FOUND),
        ("tank AND", FOUND), ("tank*", FOUND), ("^tank", FOUND), ("-tank", FOUND),
        ("tank + - ! :", FOUND), ("🚀 tank 🛰️", FOUND), ("tank:*", FOUND),
        # Query syntax of either engine is words here, and none matches.
        ("OR OR", NOTHING), ("NOT", NOTHING), ("NEAR(tank", NOTHING),
        ("headline:tank", NOTHING), ("'; DROP TABLE articles_article; --", NOTHING),
        ("1' OR '1'='1", NOTHING), ("坦克", NOTHING), ("_", NOTHING),
        ("a" * 10_000, NOTHING),
        ("*", NO_WORDS), ("\\", NO_WORDS), ("%", NO_WORDS), ("!!!", NO_WORDS),
        ("&|<>", NO_WORDS),
    ],
)  # fmt: skip
def test_anything_a_reader_types_gives_results_or_a_clear_message(
    client, query, outcome
):
    _article(headline="Tank upgrade approved")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    listed = '<li class="search-result">' in html
    assert listed == (outcome == FOUND)
    if listed:
        assert "Tank upgrade approved" in html
    assert ("Nothing matched" in html) == (outcome == NOTHING)
    assert ("Please type a word or two" in html) == (outcome == NO_WORDS)
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("tank\x00", "Null characters are not allowed."),
        (" ".join(["tank"] * 3000), "Ensure this value has at most 10000 characters"),
    ],
)
def test_a_query_that_cannot_be_searched_is_refused_with_the_reason(
    client, query, message
):
    _article(headline="Tank upgrade approved")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<div class="form-errors" role="alert"><p id="id_q_error">{message}' in html
    assert '<li class="search-result">' not in html
    assert query not in html  # the box keeps its first 500 characters, no more


def test_bad_filters_and_pages_are_answered_clearly(client):
    _article(headline="Tank upgrade approved")
    response = client.get(
        "/search/", {"q": "tank", "date_from": "2025-13-45", "category": "nope"}
    )
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()
    assert client.get("/search/", {"q": "tank", "page": "999999"}).status_code == 200
    assert client.get("/search/", {"q": "tank", "page": "-1"}).status_code == 200
    later = client.get("/search/", {"q": "tank", "date_from": "2025-05-02",
                                    "date_to": "2025-05-01"})  # fmt: skip
    assert "The start date is after the end date." in later.content.decode()


def test_the_index_follows_edits_unpublishing_and_deletion(
    client, django_capture_on_commit_callbacks, settings
):
    settings.SEARCH_CACHE_SECONDS = 300  # cached results must follow too
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(headline="Harbour dredging starts")
    assert _results(client, q="dredging") == ["Harbour dredging starts"]
    with django_capture_on_commit_callbacks(execute=True):
        article.headline = "Harbour deepening starts"
        article.save()
    assert _results(client, q="dredging") == []
    assert _results(client, q="deepening") == ["Harbour deepening starts"]
    with django_capture_on_commit_callbacks(execute=True):
        article.tags.add(TagFactory(name="Ports"))
    assert _results(client, q="ports") == ["Harbour deepening starts"]
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.DRAFT
        article.save()
    assert _results(client, q="deepening") == []
    article.delete()
    assert _results(client, q="deepening") == []


def test_renaming_an_author_reindexes_their_articles(
    client, django_capture_on_commit_callbacks, settings
):
    settings.SEARCH_CACHE_SECONDS = 300
    author = AuthorFactory(display_name="Old Name", slug="old-name")
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(headline="Report one", author=author)
        ArticleFactory(headline="Report two", author=author)
    with django_capture_on_commit_callbacks(execute=True):
        author.display_name = "Yusra Karim"
        author.save()
    assert set(_results(client, q="karim")) == {"Report one", "Report two"}


def test_the_rebuild_command_shows_progress(client):
    for i in range(3):
        ArticleFactory(headline=f"Convoy update {i}")
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "3/3" in out.getvalue() and "Indexed 3 articles" in out.getvalue()
    assert len(_results(client, q="convoy")) == 3


def test_seeded_demo_content_is_searchable(client):
    call_command("seed_demo", articles=30, stdout=StringIO())
    response = client.get("/search/", {"q": "ministry"})
    assert response.context["page_obj"].paginator.count > 0


def test_the_search_page_uses_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    for i in range(25):
        _article(headline=f"Patrol boat {i}", tags=[TagFactory()])
    client.get("/search/", {"q": "patrol"})
    with django_assert_max_num_queries(10):
        response = client.get("/search/", {"q": "patrol"})
    assert len(response.context["page_obj"].object_list) == 10


def test_a_new_or_renamed_section_or_author_shows_in_the_filters_at_once(client):
    client.get("/search/", {"q": "tank"})  # fills the cached lists
    section = CategoryFactory(name="Logistics Corps", slug="logistics-corps")
    writer = AuthorFactory(display_name="Noor Hamdan", slug="noor-hamdan")
    html = client.get("/search/", {"q": "tank"}).content.decode()
    assert '<option value="logistics-corps">Logistics Corps</option>' in html
    assert '<option value="noor-hamdan">Noor Hamdan</option>' in html
    section.name = "Supply Corps"
    section.save()
    writer.delete()
    html = client.get("/search/", {"q": "tank", "category": "logistics-corps"})
    html = html.content.decode()
    assert '<option value="logistics-corps" selected>Supply Corps</option>' in html
    assert "noor-hamdan" not in html


def test_only_the_newest_matches_are_ranked_and_the_count_says_more(
    client, monkeypatch
):
    """The candidate window (1,000 in production) at 4, and on PostgreSQL id
    windows of 1: every window boundary is crossed and the result is still the
    newest matches, best first among them."""
    from search import backends
    from search.backends import postgres, sqlite

    for module in (backends, postgres, sqlite):
        monkeypatch.setattr(module, "CANDIDATES", 4)
    monkeypatch.setattr(postgres, "FIRST_WINDOW", 1)
    now = timezone.now()
    for i in reversed(range(7)):  # oldest first, as a newsroom publishes
        _article(headline=f"Other story {i}", published_at=now - dt.timedelta(hours=i))
        _article(
            headline=f"Radar {i}" if i != 2 else "Radar radar radar",
            body="<p>The radar contract.</p>",
            published_at=now - dt.timedelta(hours=i, minutes=30),
        )
    response = client.get("/search/", {"q": "radar"})
    assert "More than 4 results" in response.content.decode()
    found = [r.headline for r in response.context["page_obj"].object_list]
    assert found[0] == "Radar radar radar"
    assert sorted(found) == ["Radar 0", "Radar 1", "Radar 3", "Radar radar radar"]
    newest = _results(client, q="radar", order="newest")
    assert newest == ["Radar 0", "Radar 1", "Radar radar radar", "Radar 3"]


def test_rare_words_are_found_the_same_across_many_windows(client, monkeypatch):
    """A word in few articles (on PostgreSQL the windows after the first are
    then read through the GIN index alone): still the newest matches, the
    best first, unpublished ones left out, the count exact."""
    from search import backends
    from search.backends import postgres, sqlite

    for module in (backends, postgres, sqlite):
        monkeypatch.setattr(module, "CANDIDATES", 3)
    monkeypatch.setattr(postgres, "FIRST_WINDOW", 4)
    now = timezone.now()
    for i in reversed(range(40)):
        radar = i in (3, 25, 30, 33, 38)
        _article(
            headline="Sonar sonar sonar" if i == 25 else f"Report {i}",
            body="<p>The sonar contract.</p>" if radar else "<p>Port visit.</p>",
            published_at=now - dt.timedelta(hours=i),
            status=Article.Status.DRAFT if i == 30 else Article.Status.PUBLISHED,
        )
    response = client.get("/search/", {"q": "sonar"})
    assert "More than 3 results" in response.content.decode()
    found = [r.headline for r in response.context["page_obj"].object_list]
    assert found == ["Sonar sonar sonar", "Report 3", "Report 33"]
    assert _results(client, q="sonar", order="newest") == [
        "Report 3",
        "Sonar sonar sonar",
        "Report 33",
    ]
    monkeypatch.setattr(backends, "CANDIDATES", 10)
    monkeypatch.setattr(postgres, "CANDIDATES", 10)
    monkeypatch.setattr(sqlite, "CANDIDATES", 10)
    assert "4 results" in client.get("/search/", {"q": "sonar"}).content.decode()


def test_a_repeated_search_is_answered_from_the_cache(client, settings):
    settings.SEARCH_CACHE_SECONDS = 300
    _article(headline="Minesweeper refit")
    client.get("/search/", {"q": "minesweeper"})
    with CaptureQueriesContext(connection) as queries:
        assert _results(client, q="minesweeper") == ["Minesweeper refit"]
    searched = [q["sql"] for q in queries if "search_" in q["sql"]]
    assert searched == []
    settings.SEARCH_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as queries:
        assert _results(client, q="minesweeper") == ["Minesweeper refit"]
    assert any("search_" in q["sql"] for q in queries)


def test_cached_results_follow_a_reindex_done_later_by_the_worker(
    client, django_capture_on_commit_callbacks, settings
):
    """A rename reaches the index through the task worker, after the edit;
    a search made in between must not keep the old answer."""
    settings.SEARCH_CACHE_SECONDS = 300
    author = AuthorFactory(display_name="Old Name", slug="old-name")
    article = _article(headline="Coastal radar report", author=author)
    Author.objects.filter(pk=author.pk).update(display_name="Idris Bello")
    assert _results(client, q="bello") == []  # not reindexed yet; now cached
    with django_capture_on_commit_callbacks(execute=True):
        services.index_articles([article.pk])  # what the worker does, then commits
    assert _results(client, q="bello") == ["Coastal radar report"]


def test_cached_results_follow_scheduled_publishing(client, settings):
    """The publishing task flips the status without touching the document."""
    from articles.tasks import publish_due_articles

    settings.SEARCH_CACHE_SECONDS = 300
    due = _article(
        headline="Icebreaker launch",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert _results(client, q="icebreaker") == []  # now cached
    assert publish_due_articles.call() == [due.pk]
    assert _results(client, q="icebreaker") == ["Icebreaker launch"]


def test_a_refused_filter_is_marked_and_points_at_its_error(client):
    _article(headline="Tank upgrade approved")
    html = client.get(
        "/search/",
        {"q": "tank", "date_from": '"><script>x</script>', "order": "newest",
         "category": "<b>nope</b>" * 2000},
    ).content.decode()  # fmt: skip
    assert (
        '<input type="date" name="date_from" value="&quot;&gt;&lt;script&gt;x'
        '&lt;/script&gt;" aria-invalid="true" aria-describedby="id_date_from_error"'
        ' id="id_date_from">'
    ) in html
    assert '<p id="id_date_from_error">Enter a valid date.</p>' in html
    assert '<input type="date" name="date_to" id="id_date_to">' in html
    assert '<option value="newest" selected>Newest</option>' in html
    assert '<option value="" selected>Any author</option>' in html
    assert 'aria-describedby="id_category_error" id="id_category">' in html
    assert '<p id="id_category_error">That section or author is not on' in html
    assert "<script>x" not in html and "nope" not in html
