"""The newsroom's actors (accounts with a role and a byline, their stories)."""

from newsroom.tests.conftest import (  # noqa: F401 (fixtures)
    _fast_hashing,
    colleague,
    make_account,
    story_of,
)
