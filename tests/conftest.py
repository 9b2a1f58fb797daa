"""What every test shares: the hypothesis profile.

In CI (``CI`` set) hypothesis is derandomised, so a red build is the same red
build when it is run again, and no example database is kept between runs; at
a desk it explores new examples every run. ``HYPOTHESIS_PROFILE=ci`` picks the
CI profile anywhere. A test's own ``@settings(max_examples=…)`` overrides only
the keys it names: settings made at import time start from the profile loaded
here (conftest.py is imported before any test module).

Tiers: ``pytest -m "not slow"`` is the everyday run; ``pytest`` runs all,
including the tests marked ``slow`` (subprocesses, killed builds, many topics).
"""

from __future__ import annotations

import os

from hypothesis import settings

# Both start from hypothesis's own defaults, not from whatever profile it loaded itself on seeing CI.
_BASE = settings.get_profile("default")
settings.register_profile("ci", _BASE, derandomize=True, deadline=None, database=None, print_blob=True)
settings.register_profile("dev", _BASE, deadline=None)  # a shared 2-core machine: a slow example is no bug
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if "CI" in os.environ else "dev"))
