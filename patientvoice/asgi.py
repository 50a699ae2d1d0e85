"""ASGI entry point, kept for completeness. Serve with WSGI: sync Django behind ASGI
was measured 5-12x slower here (docs/decisions/0004-granian-wsgi.md)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patientvoice.settings")
application = get_asgi_application()
