"""The production entry point: ``uvicorn newshub.asgi:application`` (what
``manage.py serve`` runs).

Django runs as the WSGI application the test suite exercises, in a thread pool
per process (a2wsgi, with whole responses handed over: lib/threadedwsgi.py), so
pages behave exactly as under any WSGI server. In
front of it, the read beacon is answered on the event loop (audience/asgi.py):
it is the most frequent request of the site and needs none of Django; so
are page-cache hits with the embedded file cache (lib/pagecache.py).
"""

import gc
import os
from typing import TYPE_CHECKING, cast

from django.core.wsgi import get_wsgi_application

if TYPE_CHECKING:
    from a2wsgi.wsgi_typing import WSGIApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newshub.settings")
django_application = get_wsgi_application()

# Imported after setup, as they need the settings and models.
from django.conf import settings  # noqa: E402

from audience.asgi import with_beacon  # noqa: E402
from lib.pagecache import ASGIApp, with_page_cache  # noqa: E402
from lib.threadedwsgi import ThreadedWSGI  # noqa: E402

threads = int(os.environ.get("WEB_THREADS", "4"))
# django-stubs type a WSGIHandler's answer as HttpResponseBase, which declares
# no iteration (every response class Django returns has it), and its environ
# as a plain dict where a2wsgi passes its TypedDict.
django_in_threads = ThreadedWSGI(cast("WSGIApp", django_application), workers=threads)
pages: ASGIApp = django_in_threads
if settings.PAGE_CACHE_FAST_LANE:  # hits answered on the event loop
    pages = with_page_cache(django_in_threads)
application = with_beacon(pages)

# What is loaded by now lives as long as the process: keep it out of the
# collector's full passes, which otherwise scan it all (100,000 objects,
# 50-90 ms on the benchmark machine) in the middle of some request.
gc.freeze()
