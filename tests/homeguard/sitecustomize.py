# ruff: noqa: PTH100, PTH120
# Plain os.path: this runs first in every child process, before anything else is imported.
"""Loaded by every Python process the test suite starts (its folder is on PYTHONPATH).

It records, in the file named by JOURNEYMAP_TEST_GUARD_LOG, every write a process makes under
JOURNEYMAP_TEST_GUARD_ROOT (the real home of the person running the suite); the suite fails at
its end when that file is not empty. It never blocks anything: it only records.
"""

from __future__ import annotations

import os
import sys

_ROOT = os.environ.get("JOURNEYMAP_TEST_GUARD_ROOT")
_LOG = os.environ.get("JOURNEYMAP_TEST_GUARD_LOG")

if _ROOT and _LOG:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from guard import install

    install(_ROOT, _LOG)
