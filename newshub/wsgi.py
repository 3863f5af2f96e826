import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newshub.settings")
application = get_wsgi_application()

# The read beacon's fast lane (audience/wsgi.py): beacons skip Django's request
# cycle. Imported after setup, as it needs the settings and models.
from audience.wsgi import with_beacon  # noqa: E402

application = with_beacon(application)
