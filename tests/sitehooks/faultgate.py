# ruff: noqa: PTH110, PTH118, PTH123
# Plain os.path and open: this runs inside an audit hook, called for every audited operation.
"""A gate for fault tests: a process that opens a chosen file stops there until released.

With JOURNEYMAP_TEST_GATE=FOLDER in a child's environment (and tests/sitehooks on its
PYTHONPATH), the first time the child opens a path ending with JOURNEYMAP_TEST_GATE_SUFFIX
(default `.yaml`), after letting JOURNEYMAP_TEST_GATE_SKIP such opens pass (default 0), it
creates FOLDER/ready (its pid inside), then waits until FOLDER/release exists. A test waits
for `ready`, interrupts or kills the child at that point of its work (no guessing how long the
work takes), then creates `release`. JOURNEYMAP_TEST_GATE_IN=worker gates only worker
processes (not the process the test started).
"""

from __future__ import annotations

import os
import sys
import time


def install(folder: str, suffix: str, skip: int, only_workers: bool) -> None:
    ready, release = os.path.join(folder, "ready"), os.path.join(folder, "release")
    passed = False
    seen = 0

    def in_worker() -> bool:
        mp = sys.modules.get("multiprocessing")
        return mp is not None and mp.parent_process() is not None

    def hook(event: str, args: tuple[object, ...]) -> None:
        nonlocal passed, seen
        if passed or event != "open" or not isinstance(args[0], str | bytes | os.PathLike):
            return
        if not os.fsdecode(args[0]).endswith(suffix):
            return
        if only_workers and not in_worker():
            return
        seen += 1
        if seen <= skip:
            return
        passed = True
        with open(ready + ".tmp", "w", encoding="utf-8") as out:
            out.write(str(os.getpid()))
        os.replace(ready + ".tmp", ready)
        while not os.path.exists(release):
            time.sleep(0.005)  # a signal arriving here raises in the gated process

    sys.addaudithook(hook)
