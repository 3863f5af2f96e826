from __future__ import annotations

import io

from django.core.management import call_command

from media.models import Image
from media.tests.factories import ImageFactory


def test_make_renditions_makes_the_missing_ones_only(db):
    missing = ImageFactory(width=64, height=48)
    out = io.StringIO()
    call_command("make_renditions", "--now", stdout=out)
    assert "Made the renditions of 1 image(s)." in out.getvalue()
    assert Image.objects.get(pk=missing.pk).renditions["shapes"]["full"][0][0] == 64
    call_command("make_renditions", stdout=out)
    assert "Queued the renditions of 0 image(s)." in out.getvalue()
