# ruff: noqa: PTH100, PTH120
# Plain os.path: this runs first in every child process, before anything else is imported.
"""Loaded by every Python process the test suite starts (its folder is on PYTHONPATH).

The home guard (homeguard.py) records, in the file named by JOURNEYMAP_TEST_GUARD_LOG, every
write a process makes under JOURNEYMAP_TEST_GUARD_ROOT (the real home of the person running the
suite); the suite fails at its end when that file is not empty. The fault gate (faultgate.py)
stops a child at a chosen point of its work, for fault tests, when JOURNEYMAP_TEST_GATE is set.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
_ROOT = os.environ.get("JOURNEYMAP_TEST_GUARD_ROOT")
_LOG = os.environ.get("JOURNEYMAP_TEST_GUARD_LOG")
_GATE = os.environ.get("JOURNEYMAP_TEST_GATE")

if _ROOT and _LOG:
    import homeguard

    homeguard.install(_ROOT, _LOG)
if _GATE:
    import faultgate

    faultgate.install(
        _GATE,
        os.environ.get("JOURNEYMAP_TEST_GATE_SUFFIX", ".yaml"),
        int(os.environ.get("JOURNEYMAP_TEST_GATE_SKIP", "0")),
        os.environ.get("JOURNEYMAP_TEST_GATE_IN") == "worker",
    )
del sys.path[0]
