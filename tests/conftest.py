"""Shared pytest set-up: how many examples the property tests (hypothesis) draw.

`make test` runs every property test with its full number of examples (the "thorough" profile,
the default: 200 where a test does not set its own). `make test-fast`, the inner loop, sets
HYPOTHESIS_PROFILE=quick and draws a quarter as many, so it stays within about a minute.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("thorough", max_examples=200, deadline=None)
settings.register_profile("quick", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "thorough"))
