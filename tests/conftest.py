"""Suite-wide settings.

Hypothesis runs derandomized by default so that CI is reproducible: the same examples on every
run. Set ``HYPOTHESIS_PROFILE=explore`` to search with fresh random examples locally (that is how
the property tests find new cases; add what they find as explicit examples).
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
