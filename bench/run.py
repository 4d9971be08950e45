"""Benchmark journeymap against the tools people would otherwise run in CI, side by side.

    .venv/bin/python bench/run.py [--maps 1000] [--small 200] [--repeat 3]
                                  [--out docs/performance.md] [--quick]
                                  [--scale 10000,50000]

Generates the deterministic corpus of bench/corpus.py into a temporary directory (typical maps
of about 20 steps and 6 KB, and one 400-step map) and times, as child processes on the same
files: `journeymap lint` (cold and, when it keeps a cache, warm) against `yamllint` and
`check-jsonschema` with our exported schema; `journeymap render --format html,svg` in batch
(time per map) against the Mermaid CLI on one map's Mermaid text; the big map's render;
`journeymap --version` against a bare interpreter; peak memory. It prints a table with the
ratios and PASS/FAIL per target of the "Performance" issue (a `--quick` smoke run judges
none: "smoke run: targets not judged"), and writes it as Markdown with the machine it ran on.

Timing: wall clock (`time.perf_counter`) around each child, best and median of `--repeat` runs,
the rows interleaved run by run so a load change on the machine hits all of them alike. A
command of another tool whose first run takes longer than `--slow` seconds (the yamllint and
check-jsonschema anchors) runs once; journeymap's own commands always run `--repeat` times.
Memory: the peak RSS of the child's largest process, from
`os.wait4`, so it is that child's own, and for the 1,000-map lint one more (untimed) run
that samples the proportional set size of the whole process tree (the parent and its forked
workers together).

`--scale SIZES` also lints SIZES generated maps cold, warm and without the cache, sampling the
process tree's memory (bench/scale.py), and judges the repository-scale targets.

This is a benchmark, not a test: it exits 0 when every command ran, whatever the numbers
(`--check` makes a FAIL exit 1); it exits 1 when a command failed or timed out.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import rerender

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SCHEMA = ROOT / "schema" / "journeymap-1.schema.json"
MMDC = ROOT / "tools" / "node_modules" / ".bin" / "mmdc"
PUPPETEER_CONFIG = ROOT / "tools" / "puppeteer-config.json"
TODAY = "2026-11-01"  # fixed, so stale-map finds the same maps stale on any day

# --------------------------------------------------------------------------- measuring


@dataclass
class Run:
    """One finished child process."""

    wall: float
    cpu: float  # user + system time of the child and its reaped descendants
    maxrss_kb: int
    returncode: int
    timed_out: bool
    tree_peak_kb: int = 0


def _session_pss_kb(session: int) -> int:
    """Sum of the proportional set size (RSS when unavailable) of every process in `session`."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            # Fields after the command (which may contain spaces) in parentheses.
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[3]) != session:  # field 6 of stat: session id
                continue
            try:
                text = Path(entry.path, "smaps_rollup").read_text()
                match = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
                if match:
                    total += int(match.group(1))
                    continue
            except OSError:
                pass
            total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024  # rss in pages
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
    return total


def run_once(
    cmd: Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str],
    timeout: float,
    log: Path,
    sample_tree: bool = False,
) -> Run:
    """Run `cmd` to completion (or `timeout`), stdout and stderr into `log`.{out,err}."""
    log.parent.mkdir(parents=True, exist_ok=True)
    killed = threading.Event()
    peak = [0]
    done = threading.Event()
    out_path, err_path = log.with_name(log.name + ".out"), log.with_name(log.name + ".err")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,  # its own process group: a timeout kills the whole tree
        )

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.daemon = True
        timer.start()
        sampler = None
        if sample_tree:

            def sample() -> None:
                while not done.wait(0.02):
                    peak[0] = max(peak[0], _session_pss_kb(proc.pid))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
        # wait4 gives this child's own resource usage (with its reaped descendants), unlike
        # getrusage(RUSAGE_CHILDREN), the maximum over every child so far.
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted: leave no child behind
            kill()
            raise
        wall = time.perf_counter() - start
        timer.cancel()
        done.set()
        if sampler is not None:
            sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    if killed.is_set():  # workers may outlive a killed parent
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, usage.ru_maxrss, proc.returncode, killed.is_set(), peak[0])


@dataclass
class Row:
    """One measured command."""

    key: str
    label: str
    cmd: list[str] | None  # None: not installed or skipped
    shown: str  # the command as documented
    maps: int = 0  # maps in the input, for the time per map
    ok_codes: tuple[int, ...] = (0,)
    prepare: Callable[[int], None] | None = None  # before each run (untimed), given its number
    max_runs: int | None = None
    skip_reason: str = ""
    runs: list[Run] = field(default_factory=list)
    error: str = ""
    slow: bool = False
    own: bool = True  # journeymap's: runs where a cache it keeps would be found

    @property
    def walls(self) -> list[float]:
        return [r.wall for r in self.runs]

    @property
    def ok(self) -> bool:
        return bool(self.runs) and not self.error

    @property
    def best(self) -> float:
        return min(self.walls)

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu_median(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def maxrss_mb(self) -> float:
        return max(r.maxrss_kb for r in self.runs) / 1024


# --------------------------------------------------------------------------- the machine


def machine() -> dict[str, str]:
    """What the numbers depend on: CPU, cores, memory, Python, OS, load."""
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    os_name = platform.system()
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 0
    return {
        "CPU": cpu,
        "cores": f"{os.cpu_count()} ({usable} usable by this process)",
        "RAM": ram,
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "OS": f"{os_name}, kernel {platform.release()} ({platform.machine()})",
    }


def load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def version_of(cmd: Sequence[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run(
            list(cmd), capture_output=True, text=True, timeout=60, env=env, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0].strip() if text else "unknown"


def source_digest() -> str:
    """A digest of journeymap's source, to tell whether it changed during the run."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((ROOT / "src").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
            with contextlib.suppress(OSError):
                digest.update(path.read_bytes())
    return digest.hexdigest()


def git_revision() -> str:
    try:
        rev = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "src"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{rev} (src/ has uncommitted changes)" if dirty else rev


def tool(name: str) -> str | None:
    """A console script from this interpreter's environment, else from the PATH."""
    here = Path(sys.executable).parent / name
    if here.is_file() and os.access(here, os.X_OK):
        return str(here)
    return shutil.which(name)


# --------------------------------------------------------------------------- the corpus


def make_corpus(root: Path, maps: int, small: int, render: int, big_steps: int) -> dict[str, Path]:
    """Write the corpus with bench/corpus.py; subsets are copies of the first maps."""
    sys.path.insert(0, str(BENCH))
    import corpus  # bench/ is not a package: imported from its folder

    full = root / "maps"
    corpus.write(full, maps, big_steps)
    files = sorted(full.glob("*.journey.yaml"))
    dirs = {"full": full, "big": root / "maps-big"}
    for name, count in (("small", small), ("render", render)):
        sub = root / f"maps-{name}"
        sub.mkdir()
        for path in files[:count]:
            shutil.copyfile(path, sub / path.name)
        dirs[name] = sub
    return dirs


def tree_entries(root: Path) -> set[Path]:
    found: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(root):
        found.update(Path(dirpath, n) for n in dirnames + filenames)
    return found


def new_entries(root: Path, baseline: set[Path], *, delete: bool = False) -> list[Path]:
    """The topmost paths under `root` that are not in `baseline` (a cache), deleted if asked."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in list(dirnames):
            path = Path(dirpath, name)
            if path not in baseline:
                if delete:
                    shutil.rmtree(path, ignore_errors=True)
                found.append(path)
                dirnames.remove(name)
        for name in filenames:
            path = Path(dirpath, name)
            if path not in baseline:
                if delete:
                    with contextlib.suppress(OSError):
                        path.unlink()
                found.append(path)
    return found


# --------------------------------------------------------------------------- reporting


def fmt_s(x: float) -> str:
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


@dataclass
class Target:
    name: str
    measured: str
    limit: str
    result: str  # PASS, FAIL, n/a (why), or "not judged" in a --quick smoke run


def verdict_of(ok: bool, args: argparse.Namespace) -> str:
    return "not judged" if args.quick else "PASS" if ok else "FAIL"


def ratio(slow: Row, fast: Row) -> float | None:
    if slow.ok and fast.ok and fast.median > 0:
        return slow.median / fast.median
    return None


def evaluate(rows: dict[str, Row], tree_peak_mb: float | None, args: argparse.Namespace) -> list:
    out: list[Target] = []

    def verdict(ok: bool) -> str:
        if args.quick:  # a tiny corpus, one run each: the numbers say nothing about speed
            return "not judged"
        return "PASS" if ok else "FAIL"

    def missing(*keys: str) -> str:
        bad = [rows[k].label for k in keys if not rows[k].ok]
        return "n/a (" + "; ".join(bad) + " not measured)"

    lint_small = rows["lint-small"]
    for key, name in (("yamllint-small", "yamllint"), ("jsonschema-small", "check-jsonschema")):
        r = ratio(rows[key], lint_small)
        out.append(
            Target(
                f"lint of {args.small} maps vs {name}",
                f"{r:.1f}× faster" if r else "–",
                "≥ 10× faster",
                verdict(r >= 10) if r else missing(key, "lint-small"),
            )
        )
    cold = rows["lint-cold"]
    out.append(
        Target(
            f"lint of {args.maps} maps (cold), wall",
            f"{fmt_s(cold.median)} s" if cold.ok else "–",
            "≤ 1.5 s",
            verdict(cold.median <= 1.5) if cold.ok else missing("lint-cold"),
        )
    )
    if cold.ok:
        peak = max(cold.maxrss_mb, tree_peak_mb or 0)
        out.append(
            Target(
                f"lint of {args.maps} maps, peak memory",
                f"{peak:.0f} MB",
                "≤ 200 MB",
                verdict(peak <= 200),
            )
        )
    r = ratio(rows["version"], rows["python"])
    out.append(
        Target(
            "`journeymap --version` vs `python -c pass`",
            f"{r:.1f}×" if r else "–",
            "≤ 5×",
            verdict(r <= 5) if r else missing("version", "python"),
        )
    )
    big = rows["render-big"]
    out.append(
        Target(
            f"render of the {args.big_steps}-step map, HTML+SVG",
            f"{fmt_s(big.median)} s" if big.ok else "–",
            "≤ 3 s",
            verdict(big.median <= 3) if big.ok else missing("render-big"),
        )
    )
    batch = rows["render-batch"]
    per_map = batch.median / batch.maps if batch.ok else 0.0
    out.append(
        Target(
            "batch render, HTML+SVG, per map",
            f"{per_map * 1000:.0f} ms" if batch.ok else "–",
            "≤ 100 ms",
            verdict(per_map <= 0.1) if batch.ok else missing("render-batch"),
        )
    )
    mmdc = rows["mmdc"]
    if batch.ok and mmdc.ok:
        r = mmdc.median / per_map
        out.append(
            Target(
                "batch render per map vs Mermaid CLI on one map",
                f"{r:.0f}× faster",
                "≥ 20× faster",
                verdict(r >= 20),
            )
        )
    else:
        out.append(
            Target(
                "batch render per map vs Mermaid CLI on one map",
                "–",
                "≥ 20× faster",
                (mmdc.skip_reason and f"n/a ({mmdc.skip_reason})")
                or missing("render-batch", "mmdc"),
            )
        )
    import diffs

    medians = {key: row.median for key, row in rows.items() if key in diffs.KEYS and row.ok}
    for name, measured, limit, met in diffs.targets(medians, args.quick):
        out.append(Target(name, measured, limit, "n/a" if met is None else verdict(met)))
    import startup  # bench/ is not a package: imported from its folder (on sys.path)

    for name, measured, limit, keys in startup.targets(
        lambda key: rows[key].median if rows[key].ok else None
    ):
        shown = f"{measured:.1f}×" if measured else "–"
        judged = verdict(measured <= limit) if measured else missing(*keys)
        out.append(Target(name, shown, f"≤ {limit:g}×", judged))
    return out


def row_cells(row: Row, reference: dict[str, Row]) -> list[str]:
    if not row.runs:
        why = row.error or row.skip_reason or "not run"
        return [row.label, f"`{row.shown}`" if row.cmd else "–", "0", "–", "–", "–", "–", "–", why]
    runs = f"{len(row.runs)}" + (" (slow: once)" if row.slow else "")
    per_map = f"{row.median / row.maps * 1000:.1f}" if row.maps else "–"
    note = row.error
    ref = reference.get(row.key)
    if not note and ref is not None:
        r = ratio(row, ref)
        if r is not None:
            note = f"{r:.1f}× {ref.label}"
    return [
        row.label,
        f"`{row.shown}`",
        runs,
        fmt_s(row.best),
        fmt_s(row.median),
        fmt_s(row.cpu_median),
        per_map,
        f"{row.maxrss_mb:.0f}",
        note,
    ]


HEADER = [
    "measurement",
    "command",
    "runs",
    "best s",
    "median s",
    "CPU s",
    "ms per map",
    "peak RSS MB",
    "ratio (median) / note",
]


def markdown_table(header: list[str], lines: list[list[str]]) -> str:
    def esc(cell: str) -> str:
        return cell.replace("|", "\\|")

    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(esc(c) for c in line) + " |" for line in lines]
    return "\n".join(out)


def text_table(header: list[str], lines: list[list[str]], skip: Sequence[int] = ()) -> str:
    keep = [i for i in range(len(header)) if i not in skip]
    cols = [[header[i]] + [line[i] for line in lines] for i in keep]
    widths = [max(len(c) for c in col) for col in cols]
    rendered = []
    for j in range(len(lines) + 1):
        rendered.append("  ".join(cols[k][j].ljust(widths[k]) for k in range(len(keep))).rstrip())
        if j == 0:
            rendered.append("  ".join("-" * w for w in widths))
    return "\n".join(rendered)


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--maps", type=int, default=1000, help="typical maps in the corpus")
    p.add_argument("--small", type=int, default=200, help="maps in the subset for the ratios")
    p.add_argument("--render-maps", type=int, default=50, help="maps in the batch render")
    p.add_argument("--big-steps", type=int, default=400, help="steps of the big map")
    p.add_argument("--repeat", type=int, default=3, help="runs of each fast command")
    p.add_argument("--slow", type=float, default=10.0, help="run once what takes longer (s)")
    p.add_argument("--timeout", type=float, default=600.0, help="per child process (s)")
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    p.add_argument("--no-out", action="store_true", help="write no Markdown file")
    p.add_argument("--note", action="append", default=[], help="a note for the Markdown file")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    p.add_argument("--check", action="store_true", help="exit 1 when a target FAILs")
    p.add_argument(
        "--scale", default="", metavar="SIZES", help="also lint SIZES maps (bench/scale.py)"
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="tiny corpus, one run, no yamllint/check-jsonschema on the full corpus (for tests)",
    )
    args = p.parse_args(argv)
    if args.quick:
        args.maps, args.small, args.render_maps = min(args.maps, 12), min(args.small, 6), 4
        args.big_steps, args.repeat = min(args.big_steps, 40), 1
    args.small = min(args.small, args.maps)
    args.render_maps = min(args.render_maps, args.maps)
    if args.repeat < 1 or args.maps < 1:
        p.error("--repeat and --maps must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    source_before = source_digest()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up (children, tmp) on TERM
    load_before = load_average()
    log = print  # progress

    def progress(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="journeymap-bench-"))
    try:
        work = tmp / "work"  # cwd of every child; anything new in it is a cache
        scratch = tmp / "scratch"  # logs and rendered output
        xdg = work / "xdg-cache"
        xdg.mkdir(parents=True)
        scratch.mkdir()
        env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(xdg), "TERM": "dumb"}
        env.pop("FORCE_COLOR", None)
        env.pop("JOURNEYMAP_CACHE_DIR", None)  # its cache, if any, goes where CI's would
        # The other tools run elsewhere, so what they leave (Chromium's dconf) is not taken
        # for journeymap's cache.
        other = scratch / "other"
        (other / "xdg-cache").mkdir(parents=True)
        other_env = {**env, "XDG_CACHE_HOME": str(other / "xdg-cache")}

        progress(
            f"corpus: {args.maps} maps, subsets of {args.small} and {args.render_maps}, "
            f"a {args.big_steps}-step map, in {work}"
        )
        dirs = make_corpus(work / "corpus", args.maps, args.small, args.render_maps, args.big_steps)
        full_files = sorted(str(p) for p in dirs["full"].glob("*.journey.yaml"))
        small_files = sorted(str(p) for p in dirs["small"].glob("*.journey.yaml"))
        size_kb = sum(Path(p).stat().st_size for p in full_files) / len(full_files) / 1024
        big_file = next(dirs["big"].glob("*.journey.yaml"))
        big_steps = 200 if args.quick else rerender.BIG_STEPS
        big_5k = rerender.write_big_map(work / "corpus" / "big-5k", big_steps)

        def shown(cmd: Sequence[str]) -> str:
            text = " ".join(cmd)
            text = text.replace(str(work / "corpus"), "$CORPUS").replace(str(scratch), "$OUT")
            text = text.replace(str(Path(sys.executable).parent) + "/", ".venv/bin/")
            return text.replace(str(ROOT) + "/", "")

        jm = tool("journeymap")
        jm_cmd = [jm] if jm else [sys.executable, "-m", "journeymap"]
        yamllint = tool("yamllint")
        jsonschema = tool("check-jsonschema")
        lint_help = subprocess.run(
            [*jm_cmd, "lint", "--help"], capture_output=True, text=True, env=env, check=False
        ).stdout
        no_cache_flag = "--no-cache" if "--no-cache" in lint_help else None

        baseline = tree_entries(work)  # the corpus; anything else appearing here is a cache
        # Warm-up, untimed: byte-compile journeymap as installing a wheel does (an editable
        # install under PYTHONDONTWRITEBYTECODE would otherwise compile its source at every
        # start) and fill the page cache, so the first timed run is not an outlier.
        compile_package = [
            sys.executable,
            "-c",
            "import compileall, journeymap, pathlib; "
            "compileall.compile_dir(pathlib.Path(journeymap.__file__).parent, quiet=1)",
        ]
        for warm in (
            ()
            if args.quick
            else (
                compile_package,
                [*jm_cmd, "lint", "--today", TODAY, str(big_file)],
                [*jm_cmd, "render", str(big_file), "-o", str(scratch / "warm"), "-f", "html,svg"],
            )
        ):
            subprocess.run(warm, cwd=work, env=env, capture_output=True, timeout=args.timeout)
        new_entries(work, baseline, delete=True)

        def lint(path: Path, *extra: str) -> list[str]:
            return [*jm_cmd, "lint", "--today", TODAY, *extra, str(path)]

        def fresh_out(name: str) -> Callable[[int], None]:
            def prepare(n: int) -> None:
                shutil.rmtree(scratch / name, ignore_errors=True)

            return prepare

        cache_found: set[Path] = set()  # what a cold lint left behind

        def cold(n: int) -> None:
            new_entries(work, baseline, delete=True)

        mmdc_ok = MMDC.is_file() and os.access(MMDC, os.X_OK) and PUPPETEER_CONFIG.is_file()
        mmd_file = scratch / "mermaid" / "map.mmd"
        mmdc_cmd = [
            str(MMDC), "--quiet", "--puppeteerConfigFile", str(PUPPETEER_CONFIG),
            "--input", str(mmd_file), "--output", str(scratch / "mermaid" / "map.svg"),
        ]  # fmt: skip
        render_fmt = ["--today", TODAY, "--format", "html,svg"]
        n, s = args.maps, args.small
        skip_full = "skipped (--quick)" if args.quick else ""
        rows = [
            Row("python", "bare interpreter", [sys.executable, "-c", "pass"], ""),
            Row("version", "journeymap --version", [*jm_cmd, "--version"], ""),
            Row("lint-cold", f"journeymap lint, {n} maps, cold", lint(dirs["full"]), "", n,
                prepare=cold),
            # Right after lint-cold in every round: the run that finds its cache, if it keeps one.
            Row("lint-warm", f"journeymap lint, {n} maps, warm (2nd run)", lint(dirs["full"]),
                "", n),
            Row("lint-small", f"journeymap lint, {s} maps", lint(dirs["small"]), "", s,
                prepare=cold),
            Row("yamllint-small", f"yamllint, {s} maps",
                yamllint and [yamllint, "-d", "relaxed", *small_files], "", s, (0, 1)),
            Row("jsonschema-small", f"check-jsonschema, {s} maps",
                jsonschema and [jsonschema, "--schemafile", str(SCHEMA), *small_files], "", s),
            Row("yamllint-full", f"yamllint, {n} maps",
                None if skip_full else yamllint and [yamllint, "-d", "relaxed", *full_files],
                "", n, (0, 1), skip_reason=skip_full),
            Row("jsonschema-full", f"check-jsonschema, {n} maps",
                None if skip_full else jsonschema and
                [jsonschema, "--schemafile", str(SCHEMA), *full_files],
                "", n, skip_reason=skip_full),
            Row("render-batch", f"journeymap render html+svg, {args.render_maps} maps",
                [*jm_cmd, "render", str(dirs["render"]), "-o", str(scratch / "out-batch"),
                 *render_fmt], "", args.render_maps, prepare=fresh_out("out-batch")),
            Row("mmdc", "Mermaid CLI (mmdc), 1 map", mmdc_cmd if mmdc_ok else None, "", 1,
                skip_reason="" if mmdc_ok else "not installed"),
            Row("render-big", f"journeymap render html+svg, 1 map of {args.big_steps} steps",
                [*jm_cmd, "render", str(big_file), "-o", str(scratch / "out-big"), *render_fmt],
                "", 1, prepare=fresh_out("out-big")),
        ]  # fmt: skip
        rows += rerender.rows(
            Row, jm_cmd=jm_cmd, corpus=dirs["full"], maps=n, big=big_5k, steps=big_steps,
            scratch=scratch, forget_caches=cold, today=TODAY,
        )  # fmt: skip
        if no_cache_flag:
            rows.insert(
                4,
                Row("lint-nocache", f"journeymap lint, {n} maps, {no_cache_flag}",
                    lint(dirs["full"], no_cache_flag), "", n, prepare=cold),
            )  # fmt: skip
        import diffs  # bench/diffs.py: `diff --rev` on repositories with few maps changed

        progress("diff: git repositories with a few maps changed")
        rows += [Row(c.key, c.label, c.cmd, "", c.maps)
                 for c in diffs.prepare(scratch / "diff", jm_cmd, args.quick)]  # fmt: skip
        import startup  # after corpus, from bench/ on sys.path

        one_file = Path(small_files[0])

        def again(cmd: list[str]) -> Callable[[int], None]:
            """Run the command once, untimed, before it is timed: the run a pre-commit hook
            makes on the same file, which finds its result in the cache (other rows clear it)."""

            def prepare(n: int) -> None:
                subprocess.run(cmd, cwd=work, env=env, capture_output=True, timeout=args.timeout)

            return prepare

        for at, (key, label, cmd) in enumerate(startup.rows(jm_cmd, one_file, TODAY), 2):
            warm = again(cmd) if key in startup.WARM else None
            rows.insert(at, Row(key, label, cmd, "", prepare=warm))
        for row in rows:
            own = ("lint", "render", "diff")
            row.own = row.key in {"python", "version"} or row.key.startswith(own)
            if row.cmd is None and not row.skip_reason:
                row.skip_reason = "not installed"
            row.shown = shown(row.cmd) if row.cmd else row.label
            # Long file lists are shown as the glob that makes them.
            for files, where in ((full_files, dirs["full"]), (small_files, dirs["small"])):
                if row.cmd and row.cmd[-len(files) :] == files:
                    row.shown = shown([*row.cmd[: -len(files)], f"{where}/*.journey.yaml"])
        by_key = {row.key: row for row in rows}

        if mmdc_ok:  # the same map's Mermaid text, made once by journeymap
            mdir = scratch / "mermaid"
            first = sorted(dirs["render"].glob("*.journey.yaml"))[0]
            made = subprocess.run(
                [*jm_cmd, "render", str(first), "-o", str(mdir), "-f", "mermaid"],
                env=env, capture_output=True, timeout=args.timeout, check=False,
            )  # fmt: skip
            mmd = sorted(mdir.glob("*.mmd"))
            if made.returncode == 0 and mmd:
                mmd[0].rename(mmd_file)
            else:
                by_key["mmdc"].error = "journeymap render -f mermaid failed"
                progress(made.stderr.decode(errors="replace")[-2000:])

        startup_runs = args.repeat if args.quick else max(args.repeat, 5)
        for row in (by_key[key] for key in ("python", "version", "lint-one", "lint-one-fresh")):
            row.max_runs = startup_runs
        rounds = max(args.repeat, startup_runs)
        for i in range(rounds):
            for row in rows:
                if row.cmd is None or row.error:
                    continue
                limit = row.max_runs or args.repeat
                if i >= limit or (row.slow and row.runs):
                    continue
                if row.prepare:
                    row.prepare(i)
                progress(f"[{i + 1}/{limit}] {row.label}: {row.shown[:100]}")
                run = run_once(
                    row.cmd, cwd=work if row.own else other, env=env if row.own else other_env,
                    timeout=args.timeout, log=scratch / "logs" / f"{row.key}-{i}",
                )  # fmt: skip
                if row.key == "lint-cold":
                    cache_found.update(new_entries(work, baseline))
                if run.timed_out:
                    row.error = f"timed out after {args.timeout:.0f} s"
                elif run.returncode not in row.ok_codes:
                    tail = Path(scratch / "logs" / f"{row.key}-{i}.err").read_text(
                        errors="replace"
                    )[-2000:]
                    row.error = f"exit {run.returncode}"
                    progress(f"  FAILED: exit {run.returncode}\n{tail}")
                if row.error:
                    continue
                row.runs.append(run)
                row.slow = row.slow or (not row.own and run.wall > args.slow)  # anchors only
                progress(f"    {run.wall:.3f} s, {run.maxrss_kb / 1024:.0f} MB")

        # One more run of the cold lint sampling the whole process tree (parent and workers).
        tree_peak_mb = None
        cold_row = by_key["lint-cold"]
        if cold_row.ok:
            cold(0)
            progress("memory: journeymap lint, cold, sampling the process tree")
            run = run_once(
                cold_row.cmd or [], cwd=work, env=env, timeout=args.timeout,
                log=scratch / "logs" / "lint-memory", sample_tree=True,
            )  # fmt: skip
            if not run.timed_out and run.returncode in cold_row.ok_codes:
                tree_peak_mb = run.tree_peak_kb / 1024
        warm_row = by_key["lint-warm"]
        # Named by their topmost new folder (a cache is thousands of files).
        cache_rel = sorted(
            {p.relative_to(work).parts[0] + ("/" if p.is_dir() else "") for p in cache_found}
        )
        if not cache_rel and warm_row.runs:
            warm_row.error = "no cache found: same as cold"
        load_after = load_average()
        if source_digest() != source_before:
            args.note.append(
                "**journeymap's source (`src/`) changed while the benchmark ran**: the runs "
                "may have measured different code."
            )
            progress("warning: journeymap's source changed during the run")

        # ------------------------------------------------------------------ report
        reference = {
            "version": by_key["python"],
            "lint-one": by_key["python"],
            "lint-one-fresh": by_key["python"],
            "lint-warm": by_key["lint-cold"],
            "yamllint-small": by_key["lint-small"],
            "jsonschema-small": by_key["lint-small"],
            "yamllint-full": by_key["lint-cold"],
            "jsonschema-full": by_key["lint-cold"],
            "mmdc": by_key["render-batch"],
            "diff-large": by_key["diff-small"],
        }
        if no_cache_flag:
            reference["lint-nocache"] = by_key["lint-cold"]
        reference.update({warm: by_key[cold] for warm, cold in rerender.REFERENCE.items()})
        lines = [row_cells(row, reference) for row in rows]
        for line, row in zip(lines, rows, strict=True):
            # The ratio as "N times the time of the reference".
            ref = reference.get(row.key)
            if ref is not None and row.ok and ref.ok and row.key != "mmdc":
                line[-1] = f"{row.median / ref.median:.1f}× the time of {ref.label}"
            if row.key == "mmdc" and row.ok and ref is not None and ref.ok:
                per_map = ref.median / ref.maps
                line[-1] = f"{row.median / per_map:.0f}× journeymap's batch time per map"
        targets = evaluate(by_key, tree_peak_mb, args)
        targets += rerender.targets(Target, by_key, quick=args.quick)
        if args.scale:  # lint at 10,000 and 50,000 maps: bench/scale.py
            import scale

            sizes = [int(size) for size in args.scale.split(",")]
            runs = scale.measure(jm_cmd, work, env, run_once, sizes, args.timeout * 4, progress)
            log(text_table(scale.TABLE_HEADER, scale.table(runs)))
            for name, measured, limit, met in scale.targets(runs):
                result = "n/a (not measured)" if met is None else verdict_of(met, args)
                targets.append(Target(name, measured, limit, result))
        tlines = [[t.name, t.measured, t.limit, t.result] for t in targets]
        theader = ["target", "measured (median)", "limit", "result"]

        log()
        log(text_table(HEADER, lines, skip=(1,)))
        if tree_peak_mb is not None:
            log(f"\npeak memory of `journeymap lint` on {n} maps, whole process tree (PSS): "
                f"{tree_peak_mb:.0f} MB")  # fmt: skip
        log(f"cache found after a lint: {', '.join(cache_rel) if cache_rel else 'none'}")
        log()
        log(text_table(theader, tlines))
        if args.quick:
            log("smoke run: targets not judged (run without --quick to judge them)")
        failed = [row for row in rows if row.error and row.key != "lint-warm"]
        for row in failed:
            log(f"error: {row.label}: {row.error}")

        if not args.no_out:
            info = machine()
            versions = {
                "journeymap": version_of([*jm_cmd, "--version"], env),
                "source": git_revision(),
                "yamllint": version_of([yamllint, "--version"], env) if yamllint else "–",
                "check-jsonschema": (
                    version_of([jsonschema, "--version"], env) if jsonschema else "–"
                ),
                "Mermaid CLI": version_of([str(MMDC), "--version"], env) if mmdc_ok else "–",
                "Graphviz": version_of(["dot", "-V"], env) if shutil.which("dot") else "–",
            }
            doc = document(
                args, started, info, versions, load_before, load_after, rows, lines, tlines,
                theader, tree_peak_mb, cache_rel, size_kb, startup_runs,
            )  # fmt: skip
            args.out.parent.mkdir(parents=True, exist_ok=True)
            # Keep the sections of bench/measure.py and of the parser trial (between their
            # markers) when rewriting the file: they come from runs of their own.
            old = args.out.read_text("utf-8") if args.out.exists() else ""
            for kept in ("measure", "parser"):
                start, end = f"<!-- {kept}:start -->", f"<!-- {kept}:end -->"
                if start in old and end in old:
                    section = old[old.index(start) : old.index(end) + len(end)]
                    doc = doc.rstrip("\n") + "\n\n" + section + "\n"
            args.out.write_text(doc, encoding="utf-8")
            log(f"\nwrote {args.out}")
        if failed:
            return 1
        if args.check and any(t.result == "FAIL" for t in targets):
            return 1
        return 0
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def document(
    args: argparse.Namespace,
    started: dt.datetime,
    info: dict[str, str],
    versions: dict[str, str],
    load_before: str,
    load_after: str,
    rows: list[Row],
    lines: list[list[str]],
    tlines: list[list[str]],
    theader: list[str],
    tree_peak_mb: float | None,
    cache_rel: list[str],
    size_kb: float,
    startup_runs: int,
) -> str:
    argv = " ".join(sys.argv[1:]) if sys.argv[1:] else "(defaults)"
    quick = (
        "\n> **Quick run** (`--quick`): a tiny corpus and one run each, to see that the "
        "benchmark works. These numbers say nothing about speed.\n"
        if args.quick
        else ""
    )
    machine_lines = "\n".join(f"- **{k}**: {v}" for k, v in info.items())
    version_lines = "\n".join(f"- {k}: {v}" for k, v in versions.items())
    commands = "\n".join(f"{row.shown}" for row in rows if row.cmd)
    notes = [
        f"The corpus is `bench/corpus.py`'s: {args.maps} typical maps (20 steps, "
        f"{size_kb:.1f} KB on average), the {args.small}-map and {args.render_maps}-map subsets "
        f"are their first maps, and one map of {args.big_steps} steps (`bench/render_big.py`). "
        "The same arguments give the same bytes on any machine.",
        f"Wall clock of each child process; best and median of {args.repeat} runs "
        f"({startup_runs} for the two start-up rows), rows interleaved run by run. Another tool's "
        f'command whose first run took over {args.slow:.0f} s ran once (marked "slow: once"). '
        "Ratios and targets use medians.",
        "`CPU s` is the median user + system time of the command and the processes it waited "
        "for (all cores together); on a busy machine it moves less than the wall clock.",
        "`peak RSS MB` is the largest process of the command (its own, from `wait4`), the "
        "maximum over its runs. With a process pool the workers are separate processes: "
        + (
            f"an extra run of the {args.maps}-map lint sampled the whole process tree's "
            f"proportional set size every 20 ms: peak **{tree_peak_mb:.0f} MB**. The memory "
            "target uses the larger of the two."
            if tree_peak_mb is not None
            else "the process-tree sample could not be taken."
        ),
        "`journeymap lint` runs as CI runs it (default `--jobs`, text report, written to a "
        f"file); `--today {TODAY}` fixes what `stale-map` reports. Cold: any cache it left "
        "(anything new under the corpus directory, the working directory or "
        "`XDG_CACHE_HOME`, all in the temporary directory) is deleted before the run; warm: "
        "the run after. Cache found: "
        + (", ".join(f"`{c}`" for c in cache_rel) if cache_rel else "none (warm = cold)")
        + ". Before the first timed run journeymap's modules are compiled to bytecode, as "
        "installing its wheel does (an editable install does not, and with "
        "`PYTHONDONTWRITEBYTECODE` set Python would compile them at every start).",
        "`yamllint` runs with its `relaxed` configuration (`-d relaxed`: syntax and style, "
        "fewer rules than the default); `check-jsonschema` with the schema committed as "
        "`schema/journeymap-1.schema.json` (what `journeymap schema` prints). Both get the "
        "same files as `journeymap lint`.",
        "The batch render includes the portfolio page (`index.html`) and runs Graphviz "
        "`dot` for each SVG; ms per map is its median divided by the number of maps. The "
        "Mermaid CLI renders one map's Mermaid text (`journeymap render -f mermaid`) to SVG "
        "in headless Chromium.",
        f"Load average (1/5/15 min) before: {load_before}; after: {load_after}.",
        *args.note,
    ]
    return f"""# Performance

journeymap runs in CI on every pull request over every map of a repository, and while people
write. This page is the output of `bench/run.py`: journeymap measured side by side, in one run
on one machine, with the tools people would otherwise run (`yamllint` for syntax and style,
`check-jsonschema` for the schema, the Mermaid CLI for diagrams), and checked against the
targets of the "Performance" issue. Re-run it with:

```console
$ .venv/bin/python bench/run.py            # writes docs/performance.md
$ .venv/bin/python bench/run.py --quick --no-out   # a smoke run, seconds
```
{quick}
## Machine

{machine_lines}
- **date**: {started:%Y-%m-%d %H:%M} UTC
- **arguments**: `bench/run.py {argv}`

{version_lines}

## Targets

{markdown_table(theader, tlines)}

## Measurements

{markdown_table(HEADER, lines)}

## Commands

`$CORPUS` and `$OUT` are directories under a fresh temporary directory; journeymap's commands
run in it, the other tools in a directory of their own next to it.

```text
{commands}
```

## Notes

{chr(10).join(f"- {n}" for n in notes)}
"""


if __name__ == "__main__":
    sys.exit(main())
