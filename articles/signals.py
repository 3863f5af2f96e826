"""What the content layer tells the apps built on it.

Higher apps (subscriptions, search, audience) are never called from here:
they connect receivers in their AppConfig.ready(). Model signals (post_save
of Article, Author, ...) are Django's own; this module adds the domain's.
"""

from __future__ import annotations

from django.dispatch import Signal

#: Sent once when an article goes live: published in the admin (after the
#: transaction commits) or by `publish_due_articles` at its scheduled time.
#: Arguments: sender=Article, article_id=int. Receivers must be quick (enqueue
#: a task): the sender may be a web request.
article_published = Signal()
