"""PostgreSQL: a BRIN index of the article ids, negated, for the searches of
words few articles hold.

Those are found by the GIN index alone, and every article holding the word was
read, though only the newest thousand are needed: "cable" read 2,600 rows
scattered over as many pages to keep 1,001. ANDing the GIN bitmap with the
primary key's bitmap of the newest ids costs a tenth of a microsecond per id,
more than the reads it saves when the window spans tens of thousands of ids. A
BRIN index gives the pages of an id range for almost nothing (articles are
written in id order, so a range of pages holds a range of ids), and rows read
drop to the window's. It is on `-id`, not `id`, so that only the statement
written for it (`_Window.sparse`, `-a.id < -lower`) uses it: elsewhere the
primary key's exact bitmap is the better one, and the planner, pricing BRIN as
cheaper, would choose it. Four pages a range: the index then costs more to the
planner than the GIN scan of a word that rare, which keeps the GIN bitmap first
in the AND and its pages exact (see docs/architecture.md). Nothing on SQLite.
"""

from django.db import migrations

from search.migrations._postgres import on_postgres

CREATE = (
    "CREATE INDEX IF NOT EXISTS article_newest_brin ON articles_article "
    "USING brin ((-id)) WITH (pages_per_range = 4, autosummarize = on)"
)
DROP = "DROP INDEX IF EXISTS article_newest_brin"


class Migration(migrations.Migration):
    dependencies = [("search", "0005_postgres_unchanged_vector")]

    operations = [migrations.RunPython(on_postgres([CREATE]), on_postgres([DROP]))]
