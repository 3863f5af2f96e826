from __future__ import annotations

import pytest

from audience import services

CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture(autouse=True)
def _fresh_process_state():
    """The per-process caches of the beacon start empty in every test."""
    services.flood_gate.counts.clear()
    services.live_articles.clear()
    services._salts.clear()
    yield
    services.flood_gate.counts.clear()
    services.live_articles.clear()
    services._salts.clear()
