"""Related Posts: TF-IDF vectors over an article's words, tags and section,
compared by cosine similarity through a small inverted index in the database.

Why this method: it needs no dependency and no engine feature, so it behaves
the same on SQLite and PostgreSQL; it weighs the words that make a story
distinctive (names of places, ships, companies, code names) above the words
every defence story uses; and it is cheap to keep up to date one article at a
time. See docs/architecture.md ("Related Posts").

- Terms: words of the headline (x3), standfirst (x2) and body (x1), each tag
  (``#slug``, x3) and the section and its parent (``@slug``, x2 and x1).
- Weight: (1 + log tf) x idf, idf = log((N + 1) / (df + 1)) + 1; each article
  keeps its VECTOR_TERMS heaviest terms, scaled to unit length
  (``TermPosting``). Document frequencies live in ``TermStat``.
  The rebuild reads every article once and keeps their term counts in memory
  (860 MB peak for 100,000 demo articles).
- Candidates: for the article's QUERY_TERMS (12) heaviest terms, the POSTINGS_PER_TERM
  heaviest postings of each term; the score is the dot product (cosine of the
  truncated vectors) times a recency factor, 0.5 ** (days apart / half-life).
  A candidate published more than the maximum age before the article counts
  only if its cosine reaches the "very close" score.
- Editors' pins come first; exclusions never appear.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from articles.models import Article
from audience.models import (
    RelatedArticle,
    RelatedChoice,
    RelatedSettings,
    TermPosting,
    TermStat,
)
from lib import pagecache
from lib.html import plain_text

VECTOR_TERMS = 40
QUERY_TERMS = 12
POSTINGS_PER_TERM = 250
STORED = 8  # related posts kept per article (pages show four)
CANDIDATES = 60
NEIGHBOURS = 5  # lists refreshed besides the article's own when it changes

_WORD = re.compile(r"[a-zà-öø-ÿ][a-zà-öø-ÿ'’-]+[a-zà-öø-ÿ]")
STOPWORDS = frozenset(
    """
    about above after again against all also although among and another any are
    around because been before being below between both but can could did does
    doing down during each either even ever every few for from further had has
    have having her here hers herself him himself his how however into its
    itself just last least less like made make many may might more most much
    must near need neither new next nor not now off once one only other our ours
    out over own per said same says she should since some such than that the
    their theirs them then there these they this those though three through thus
    too two under until upon very was were what when where whether which while
    who whom whose why will with within without would year years yet you your
    told week weeks month months day days time first second later still already
    people officials official according statement spokesperson spokesman
    spokeswoman reporters asked added including several
    """.split()
)


@functools.lru_cache(maxsize=500_000)
def _stem(word: str) -> str:
    """A light plural fold, enough for "frigates"/"frigate"."""
    word = word.replace("’", "'").removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS][:5000]


@dataclass
class Doc:
    pk: int
    published_at: dt.datetime | None
    live: bool
    terms: Counter[str]


def document(article: Article, tag_slugs: Iterable[str], section: list[str]) -> Doc:
    """The weighted term counts of one article."""
    terms: Counter[str] = Counter()
    for weight, text in (
        (3, article.headline),
        (2, article.standfirst),
        (1, plain_text(article.body or "")),
    ):
        for word in _words(text):
            terms[word[:64]] += weight
    for slug in tag_slugs:
        terms[f"#{slug}"[:64]] += 3
    for weight, slug in zip((2, 1), section, strict=False):
        terms[f"@{slug}"[:64]] += weight
    return Doc(article.pk, article.published_at, article.is_live, terms)


def _documents(ids: list[int]) -> list[Doc]:
    articles = (
        Article.objects.filter(pk__in=ids)
        .select_related("category__parent")
        .prefetch_related("tags")
        .only(
            "pk", "headline", "standfirst", "body", "status", "published_at",
            "category__slug", "category__parent__slug",
        )
    )  # fmt: skip
    docs = []
    for a in articles:
        section = [a.category.slug]
        parent = a.category.parent if a.category.parent_id else None
        if parent is not None:
            section.append(parent.slug)
        docs.append(document(a, [t.slug for t in a.tags.all()], section))
    return docs


def vector(terms: Counter[str], df: dict[str, int], n: int) -> dict[str, float]:
    """The unit TF-IDF vector of the VECTOR_TERMS heaviest terms."""
    weights = {
        t: (1 + math.log(tf)) * (math.log((n + 1) / (df.get(t, 0) + 1)) + 1)
        for t, tf in terms.items()
    }
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:VECTOR_TERMS]
    norm = math.sqrt(sum(w * w for _t, w in top)) or 1.0
    return {t: w / norm for t, w in top}


def cosines(
    query: dict[str, float], postings: Callable[[str], list[tuple[int, float]]]
) -> dict[int, float]:
    """Dot products of `query` with every article in the heaviest postings of
    its heaviest terms."""
    scores: defaultdict[int, float] = defaultdict(float)
    heaviest = sorted(query.items(), key=lambda kv: -kv[1])[:QUERY_TERMS]
    for term, weight in heaviest:
        for other, other_weight in postings(term)[:POSTINGS_PER_TERM]:
            scores[other] += weight * other_weight
    return scores


@dataclass
class Meta:
    published_at: dt.datetime | None
    live: bool


def choose(
    pk: int,
    published_at: dt.datetime | None,
    scores: dict[int, float],
    meta: Callable[[list[int]], dict[int, Meta]],
    rules: RelatedSettings,
    pins: list[int],
    excluded: set[int],
) -> list[tuple[int, float]]:
    """Pinned articles, then the best live candidates: (id, score) in order."""
    scores.pop(pk, None)
    ranked = [
        (other, score)
        for score, other in heapq.nlargest(
            CANDIDATES, zip(scores.values(), scores.keys(), strict=True)
        )
    ]
    info = meta([other for other, _s in ranked] + pins)
    max_age = dt.timedelta(days=rules.max_age_days)
    chosen = [(p, 1.0) for p in pins if p in info and info[p].live]
    taken = {p for p, _s in chosen} | excluded | {pk}
    results = []
    for other, cosine in ranked:
        m = info.get(other)
        if other in taken or m is None or not m.live:
            continue
        score = cosine
        if published_at and m.published_at:
            gap = abs((published_at - m.published_at).total_seconds()) / 86400
            if published_at - m.published_at > max_age and cosine < rules.very_close:
                continue
            score *= 0.5 ** (gap / rules.recency_half_life_days)
        results.append((other, score))
    results.sort(key=lambda kv: (-kv[1], -kv[0]))
    return (chosen + results)[:STORED]


def _insert(model, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Plain multi-row INSERTs: much faster than bulk_create for millions of
    rows, and the same SQL on SQLite and PostgreSQL."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _db_meta(ids: list[int]) -> dict[int, Meta]:
    rows = Article.objects.filter(pk__in=ids).only("status", "published_at")
    return {a.pk: Meta(a.published_at, a.is_live) for a in rows}


def _choices(article_ids: list[int]) -> dict[int, tuple[list[int], set[int]]]:
    out: dict[int, tuple[list[int], set[int]]] = defaultdict(lambda: ([], set()))
    for article, other, kind in (
        RelatedChoice.objects.filter(article_id__in=article_ids)
        .order_by("pk")
        .values_list("article_id", "other_id", "kind")
    ):
        if kind == RelatedChoice.Kind.PIN:
            out[article][0].append(other)
        else:
            out[article][1].add(other)
    return out


def _write_lists(lists: dict[int, list[tuple[int, float]]]) -> None:
    with transaction.atomic():
        RelatedArticle.objects.filter(article_id__in=list(lists))._raw_delete(
            RelatedArticle.objects.db
        )
        _insert(
            RelatedArticle,
            ("article_id", "related_id", "score", "rank"),
            (
                (pk, o, s, i)
                for pk, found in lists.items()
                for i, (o, s) in enumerate(found, start=1)
            ),
        )


# -- One article (a task when it is published or changed) ------------------------


def _bump_df(terms: Iterable[str]) -> None:
    table = connection.ops.quote_name(TermStat._meta.db_table)
    sql = (
        f"INSERT INTO {table} (term, df) VALUES (%s, 1) "
        f"ON CONFLICT (term) DO UPDATE SET df = {table}.df + 1"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(t,) for t in sorted(terms)])


def _postings_from_db(terms: list[str]) -> dict[str, list[tuple[int, float]]]:
    found: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    for term, article, weight in TermPosting.objects.filter(term__in=terms).values_list(
        "term", "article_id", "weight"
    ):
        found[term].append((article, weight))
    for rows in found.values():
        rows.sort(key=lambda r: (-r[1], -r[0]))
    return found


def index_article(doc: Doc) -> dict[str, float]:
    """Store the vector of one article (its postings), counting its terms into
    the document frequencies the first time it is indexed."""
    with transaction.atomic():
        is_new = not TermPosting.objects.filter(article_id=doc.pk).exists()
        if is_new:
            _bump_df(doc.terms)
        df = dict(
            TermStat.objects.filter(term__in=list(doc.terms)).values_list("term", "df")
        )
        n = max(Article.objects.count(), 1)
        vec = vector(doc.terms, df, n)
        TermPosting.objects.filter(article_id=doc.pk).delete()
        TermPosting.objects.bulk_create(
            TermPosting(article_id=doc.pk, term=t, weight=w) for t, w in vec.items()
        )
    return vec


def related_for(
    pk: int, published_at, vec: dict[str, float]
) -> list[tuple[int, float]]:
    heaviest = [t for t, _w in sorted(vec.items(), key=lambda kv: -kv[1])[:QUERY_TERMS]]
    postings = _postings_from_db(heaviest)
    scores = cosines(vec, lambda t: postings.get(t, []))
    pins, excluded = _choices([pk]).get(pk, ([], set()))
    return choose(
        pk, published_at, scores, _db_meta, RelatedSettings.load(), pins, excluded
    )


def _stored_vector(pk: int) -> dict[str, float]:
    return dict(TermPosting.objects.filter(article_id=pk).values_list("term", "weight"))


def update_article(pk: int) -> int:
    """Index one article and recompute its list and its closest neighbours'."""
    docs = _documents([pk])
    if not docs:
        return 0
    doc = docs[0]
    vec = index_article(doc)
    lists = {pk: related_for(pk, doc.published_at, vec)}
    if doc.live:
        neighbours = [o for o, _s in lists[pk][:NEIGHBOURS]]
        dates = _db_meta(neighbours)
        for other in neighbours:
            if other in dates:
                lists[other] = related_for(
                    other, dates[other].published_at, _stored_vector(other)
                )
    _write_lists(lists)
    # The pages that show these lists (kept until midnight otherwise).
    slugs = Article.objects.filter(pk__in=list(lists)).values_list("slug", flat=True)
    pagecache.invalidate_on_commit(*(pagecache.tag("article", s) for s in slugs))
    return len(lists)


# -- Everything (the rebuild command) --------------------------------------------


def rebuild(progress: Callable[[str, int, int], None] | None = None) -> int:
    """Recompute every vector and every list from scratch, in memory."""
    progress = progress or (lambda stage, done, total: None)
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    batch = 500
    df: Counter[str] = Counter()
    docs: dict[int, Doc] = {}
    for start in range(0, len(ids), batch):
        for doc in _documents(ids[start : start + batch]):
            df.update(doc.terms.keys())
            docs[doc.pk] = doc
        progress("terms", min(start + batch, len(ids)), len(ids))
    n = max(len(ids), 1)
    vectors: dict[int, dict[str, float]] = {}
    meta: dict[int, Meta] = {}
    for number, pk in enumerate(ids, start=1):
        kept = docs.pop(pk, None)
        if kept is not None:
            vectors[pk] = vector(kept.terms, df, n)
            meta[pk] = Meta(kept.published_at, kept.live)
        if number % batch == 0 or number == len(ids):
            progress("vectors", number, len(ids))
    index: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    for pk, vec in vectors.items():
        for term, weight in vec.items():
            index[term].append((pk, weight))
    for rows in index.values():
        rows.sort(key=lambda r: (-r[1], -r[0]))
    with transaction.atomic():
        TermStat.objects.all()._raw_delete(TermStat.objects.db)
        _insert(TermStat, ("term", "df"), df.items())
        TermPosting.objects.all()._raw_delete(TermPosting.objects.db)
        _insert(
            TermPosting,
            ("article_id", "term", "weight"),
            ((pk, t, w) for pk, vec in vectors.items() for t, w in vec.items()),
        )
    rules = RelatedSettings.load()
    choices = _choices(ids)
    lists: dict[int, list[tuple[int, float]]] = {}
    RelatedArticle.objects.all()._raw_delete(RelatedArticle.objects.db)
    for number, pk in enumerate(ids, start=1):
        if pk in vectors:  # else deleted since the ids were read
            pins, excluded = choices.get(pk, ([], set()))
            lists[pk] = choose(
                pk,
                meta[pk].published_at,
                cosines(vectors[pk], lambda t: index.get(t, [])),
                lambda wanted: {w: meta[w] for w in wanted if w in meta},
                rules,
                pins,
                excluded,
            )
        if len(lists) >= batch or number == len(ids):
            _write_lists(lists)
            lists = {}
            progress("related", number, len(ids))
    return len(ids)


def related_articles(article: Article, *, limit: int) -> list[Article]:
    """The stored list of one article, live articles only (one query)."""
    return list(
        Article.objects.published()
        .for_listing()
        .filter(listed_as_related__article=article)
        .order_by("listed_as_related__rank")[:limit]
    )
