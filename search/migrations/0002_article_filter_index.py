"""A covering index for the search engines' article filter.

Both engines find matches in their full-text index, then keep the published
ones (status, published_at, and the section or author a reader picked). Read
from the article rows, that costs one wide row (with its body) per candidate;
this index holds the few columns the filter reads, so the lookups stay in it.
SQLite is told to use it (`INDEXED BY` in search/backends/sqlite.py); PostgreSQL
picks it for an index-only scan when it pays. It lives here, not in the
article model, because only search queries read it.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS search_article_filter_idx ON articles_article "
    "(id, status, published_at, category_id, author_id)"
)
DROP = "DROP INDEX IF EXISTS search_article_filter_idx"


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
