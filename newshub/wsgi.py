"""The WSGI entry point, for WSGI servers and Django's own tools. Production
runs newshub/asgi.py (Django as this same WSGI application, with the read
beacon's fast lane in front)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newshub.settings")
application = get_wsgi_application()

# What is loaded by now lives as long as the process: keep it out of the
# collector's full passes, which otherwise scan it all (100,000 objects,
# 50-90 ms on the benchmark machine) in the middle of some request.
gc.freeze()
