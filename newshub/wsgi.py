"""The WSGI entry point, for WSGI servers and Django's own tools. Production
runs newshub/asgi.py (Django as this same WSGI application, with the read
beacon's fast lane in front)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newshub.settings")
application = get_wsgi_application()
