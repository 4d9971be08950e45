"""Benchmark `journeymap measure`: DuckDB against a straightforward pandas implementation.

    nice -n 19 .venv/bin/python bench/measure.py [--sizes 1e6,1e7] [--pandas-up-to 1e7]
                                                 [--big 1e8] [--out docs/performance.md]
    .venv/bin/python bench/measure.py --quick --no-out        # a smoke run

Generates, deterministically and with DuckDB itself, event logs for a 20-step map (30 events per
user, users walking the map with skips, repeats and stops; times over 30 days) as
Parquet, then times as child processes on the same file:

- `journeymap measure MAP --events FILE.parquet -o metrics.json` (DuckDB, the default engine);
- `bench/measure_pandas.py MAP FILE.parquet`, the same semantics written plainly with pandas
  (read the file, merge events onto steps, group, merge step by step for the funnel);

checks that both give the same reach, funnel, median times and transitions, and reports wall
time and the child's peak RSS (`os.wait4`). `--big` runs DuckDB alone with `--memory-limit 2GB`
on a larger log; the growth table is DuckDB's time per size. Results go to the section of
`docs/performance.md` between the `measure` markers (the rest of the file is bench/run.py's).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
START, END = "<!-- measure:start -->", "<!-- measure:end -->"
STEPS = 20


def map_yaml() -> str:
    lines = ["journeymap: 1", "id: bench", "title: Benchmark funnel", "stages:"]
    for s in range(4):
        lines += [f"  - id: stage-{s}", f"    name: Stage {s}", "    steps:"]
        for k in range(s * 5, s * 5 + 5):
            lines.append(f"      - {{id: step-{k:02d}, name: Step {k}, events: [ev_{k:02d}]}}")
    return "\n".join(lines) + "\n"


def generate(path: Path, events: int) -> None:
    """`events` rows to Parquet: user, event, time (TIMESTAMP), device. Pure arithmetic on the
    row number (no random()), so the same size gives the same file."""
    import duckdb

    per_user = 30
    users = max(1, events // per_user)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    # Row k of a user is step k (80%) or a repeat of step k - 1 (20%: the user skips nothing
    # but may miss step k when the next row moves on); after the user's own stopping point, and
    # past the last step, rows are other events (noise the match must skip).
    con.execute(
        f"""
        COPY (
          WITH r AS (
            SELECT i, hash(i) % 1000 AS h, (i // {per_user}) % {users} AS u, i % {per_user} AS k
            FROM range({events}) AS t(i)
          )
          SELECT 'u' || CAST(u AS VARCHAR) AS "user",
                 CASE WHEN k > hash(u) % 28 OR k >= {STEPS} OR h >= 950 THEN 'browse'
                      ELSE 'ev_' || lpad(CAST(CASE WHEN h < 800 THEN k ELSE GREATEST(k - 1, 0)
                                                   END AS VARCHAR), 2, '0') END AS event,
                 TIMESTAMP '2026-10-01' + to_seconds(CAST(hash(u) % 2592000 + k * 600 + h % 300
                                                          AS BIGINT)) AS time,
                 CASE WHEN u % 2 = 0 THEN 'mobile' ELSE 'desktop' END AS device
          FROM r
        ) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)
        """
    )
    con.close()


def timed(argv: list[str], timeout: float) -> tuple[float, float, int, str, float]:
    """Wall seconds, peak RSS MB of the child, exit code, stderr tail, CPU seconds (user +
    system: on a loaded machine the fairer comparison, wall time moving with the load)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            return timeout, 0.0, -1, "timed out", 0.0
        time.sleep(0.05)
    wall = time.perf_counter() - start
    err = proc.stderr.read() if proc.stderr else ""
    cpu = usage.ru_utime + usage.ru_stime
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), err[-400:], cpu


def figures_of(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text())["maps"]["bench"]
    return {
        "reached": {k: v["reached"] for k, v in data["steps"].items()},
        "funnel": {k: v["funnel"] for k, v in data["steps"].items()},
        "median": {k: v["median_seconds"] for k, v in data["steps"].items()},
        "transitions": {(t["from"], t["to"]): t["users"] for t in data["transitions"]},
    }


def human(n: int) -> str:
    return f"{n / 1e6:g}M" if n >= 1_000_000 else f"{n:,}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--sizes", default="1e6,1e7", help="event counts, DuckDB and pandas")
    p.add_argument("--pandas-up-to", type=float, default=1e7, help="largest size for pandas")
    p.add_argument("--big", type=float, default=0, help="a larger size, DuckDB at 2 GB (0: none)")
    p.add_argument("--timeout", type=float, default=3600)
    p.add_argument(
        "--duck-memory-limit",
        default="300MB",
        help="DuckDB's --memory-limit in the comparison with pandas ('' for DuckDB's default, "
        "80%% of RAM); the comparison also runs DuckDB without it",
    )
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    p.add_argument("--no-out", action="store_true")
    p.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke run")
    p.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    args = p.parse_args(argv)
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    if args.quick:
        sizes, args.pandas_up_to, args.big = [20_000, 50_000], 1e9, 0
    python = sys.executable
    journeymap = str(Path(python).parent / "journeymap")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="journeymap-bench-measure-"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bench.journey.yaml").write_text(map_yaml())
    rows: list[dict[str, object]] = []
    failed = False
    load = os.getloadavg()
    all_sizes = sizes + ([int(args.big)] if args.big else [])
    for n in all_sizes:
        data = folder / f"events-{n}.parquet"
        t0 = time.perf_counter()
        if not data.exists():
            generate(data, n)
        gen = time.perf_counter() - t0
        print(
            f"[bench] {human(n)} events: generated in {gen:.1f}s "
            f"({data.stat().st_size / 1e6:.0f} MB)",
            flush=True,
        )
        out = folder / f"metrics-{n}.json"
        argv_duck = [
            journeymap,
            "measure",
            str(folder / "bench.journey.yaml"),
            "--events",
            str(data),
            "-o",
            str(out),
            "--isolated",
        ]
        big = n == args.big and n not in sizes
        if big:
            argv_duck += ["--memory-limit", "2GB"]
        wall, rss, code, err, cpu = timed(argv_duck, args.timeout)
        print(
            f"[bench]   DuckDB: {wall:.2f}s ({cpu:.2f}s CPU), {rss:.0f} MB, exit {code} "
            f"{err.strip()}",
            flush=True,
        )
        row: dict[str, object] = {
            "events": n,
            "duck_s": wall,
            "duck_mb": rss,
            "duck_cpu": cpu,
            "duck_ok": code == 0,
            "big": big,
        }
        if not big and args.duck_memory_limit:
            lwall, lrss, lcode, lerr, lcpu = timed(
                [*argv_duck, "--memory-limit", args.duck_memory_limit], args.timeout
            )
            print(
                f"[bench]   DuckDB --memory-limit {args.duck_memory_limit}: {lwall:.2f}s, "
                f"{lrss:.0f} MB, exit {lcode} {lerr.strip()}",
                flush=True,
            )
            row.update(lim_s=lwall, lim_mb=lrss, lim_cpu=lcpu, limit=args.duck_memory_limit)
            failed |= lcode != 0
        failed |= code != 0
        if n <= args.pandas_up_to and not big:
            pout = folder / f"pandas-{n}.json"
            argv_pd = [
                python,
                str(BENCH / "measure_pandas.py"),
                str(folder / "bench.journey.yaml"),
                str(data),
                str(pout),
            ]
            pwall, prss, pcode, perr, pcpu = timed(argv_pd, args.timeout)
            print(
                f"[bench]   pandas: {pwall:.2f}s ({pcpu:.2f}s CPU), {prss:.0f} MB, exit {pcode} "
                f"{perr.strip()}",
                flush=True,
            )
            same = pcode == 0 and code == 0 and figures_of(out) == figures_of(pout)
            print(f"[bench]   same figures: {same}", flush=True)
            failed |= not same
            row.update(pandas_s=pwall, pandas_mb=prss, pandas_cpu=pcpu, same=same)
        rows.append(row)
    text = report(rows, sizes, load)
    print(text)
    if not args.no_out:
        write_section(args.out, text)
        print(f"[bench] wrote the measure section of {args.out}")
    return 1 if failed else 0


def report(rows: list[dict[str, object]], sizes: list[int], load: tuple[float, ...]) -> str:
    lines = [
        START,
        "## `journeymap measure`: DuckDB against pandas (bench/measure.py)",
        "",
        f"Run on {dt.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores "
        f"shared with other work (load average {load[0]:.1f} before, {os.getloadavg()[0]:.1f} "
        f"after; run under `nice -n 19`), Python {platform.python_version()}. "
        f"A {STEPS}-step map, 30 events per user over 30 days, Parquet input; both "
        "implementations as child processes on the same file, and their figures compared.",
        "",
        "| events | DuckDB s | DuckDB CPU s | DuckDB peak MB | pandas s | pandas CPU s "
        "| pandas peak MB | speed-up (wall) | CPU ratio | DuckDB/pandas memory | same figures |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for row in rows:
        if "pandas_s" not in row:
            continue
        pd_, pm = float(row["pandas_s"]), float(row["pandas_mb"])  # type: ignore[arg-type]
        pc = float(row["pandas_cpu"])  # type: ignore[arg-type]
        runs = [("", row["duck_s"], row["duck_mb"], row["duck_cpu"])]
        if "lim_s" in row:
            runs.append(
                (f", --memory-limit {row['limit']}", row["lim_s"], row["lim_mb"], row["lim_cpu"])
            )
        for label, d_s, d_mb, d_cpu in runs:
            d, dm, dc = float(d_s), float(d_mb), float(d_cpu)  # type: ignore[arg-type]
            lines.append(
                f"| {human(int(row['events']))}{label} | {d:.2f} | {dc:.2f} | {dm:.0f} "  # type: ignore[call-overload]
                f"| {pd_:.2f} | {pc:.2f} | {pm:.0f} | {pd_ / d:.1f}× | {pc / dc:.1f}× "
                f"| {dm / pm:.2f} | {'yes' if row['same'] else 'NO'} |"
            )
    lines += [
        "",
        "Growth (DuckDB, the default engine):",
        "",
        "| events | seconds | CPU seconds | peak MB | memory limit | finished |",
        "|---:|---:|---:|---:|---|:---:|",
    ]
    for row in rows:
        lines.append(
            f"| {human(int(row['events']))} | {float(row['duck_s']):.2f} "  # type: ignore[call-overload]
            f"| {float(row['duck_cpu']):.2f} "  # type: ignore[arg-type]
            f"| {float(row['duck_mb']):.0f} | {'2 GB' if row['big'] else 'none'} "  # type: ignore[arg-type]
            f"| {'yes' if row['duck_ok'] else 'NO'} |"
        )
    lines += ["", "Targets (this run):", ""]
    for row in rows:
        if "pandas_s" not in row or int(row["events"]) < 10_000_000:  # type: ignore[call-overload]
            continue
        pd_, pm = float(row["pandas_s"]), float(row["pandas_mb"])  # type: ignore[arg-type]
        speed = pd_ / float(row["duck_s"])  # type: ignore[arg-type]
        mem = float(row["duck_mb"]) / pm  # type: ignore[arg-type]
        cpu = float(row["pandas_cpu"]) / float(row["duck_cpu"])  # type: ignore[arg-type]
        lines.append(
            f"- {human(int(row['events']))} events, at least 10× faster than pandas: "  # type: ignore[call-overload]
            f"{speed:.1f}× in wall time **{'PASS' if speed >= 10 else 'FAIL'}** "
            f"({cpu:.1f}× less CPU time)"
        )
        lines.append(
            f"- at most a quarter of pandas' peak memory: {mem:.2f} with DuckDB's default limit "
            f"**{'PASS' if mem <= 0.25 else 'FAIL'}**"
            + (
                f"; {float(row['lim_mb']) / pm:.2f} with `--memory-limit {row['limit']}` "  # type: ignore[arg-type]
                f"**{'PASS' if float(row['lim_mb']) / pm <= 0.25 else 'FAIL'}** "  # type: ignore[arg-type]
                f"({pd_ / float(row['lim_s']):.1f}× faster)"  # type: ignore[arg-type]
                if "lim_s" in row
                else ""
            )
        )
    for row in rows:
        if row["big"]:
            lines.append(
                f"- {human(int(row['events']))} events with a 2 GB memory limit finish: "  # type: ignore[call-overload]
                f"{float(row['duck_s']):.0f} s **{'PASS' if row['duck_ok'] else 'FAIL'}**"  # type: ignore[arg-type]
            )
    lines += [
        "",
        "Notes:",
        "",
        "- Targets of the issue: DuckDB at least 10× faster than pandas on 10M events and at most "
        "a quarter of its peak memory; 100M events with a 2 GB memory limit finish. The table says "
        "what this run measured; on a machine shared with other work the wall times move with its "
        "load (both implementations ran in the same run, one after the other).",
        "- Peak memory is the child's peak RSS (`os.wait4`), the Python interpreter and its "
        "imports included (about 130 MB for `journeymap measure` with DuckDB loaded). DuckDB's "
        "`memory_limit` bounds its buffer manager, not the whole process, so the peak can pass "
        "the limit a little; past the limit it spills to a temporary folder.",
        "- CPU seconds are the child's user + system time. pandas runs on one core; DuckDB uses "
        "both, but start-up and parts of the query (the funnel's steps one after the other) "
        "run on one core, so on a quiet machine its wall time is well above half its CPU time; "
        "on a loaded one (both children under `nice -n 19`, competing with the load) the wall "
        "ratio mostly measures the scheduler: the CPU ratio is the steadier figure.",
        "- Where DuckDB's time goes (profiled with `EXPLAIN ANALYZE` at 10M events, 4.2M of "
        "them matching a step, one thread; shares of the operators' time): about 0.35 s to "
        "start Python, the command line and DuckDB before the query; the observed transitions "
        "about a third (the window ordering each user's events ~20%, the distinct users per "
        "transition ~15%); the 19 funnel joins, one after the other, with their groupings and "
        "scans of the matched events ~28%; two reads of the Parquet file and the numbering of "
        "users ~25% (every grouping, sort and join after it works on integers: a fifth less CPU "
        "and a third less memory than on the text of the user column); one grouping by user for "
        "reach and stages (bit masks) ~7%; the medians ~2% (times are counted per second first, "
        "and only the one or two seconds holding the middle are ranked: ranking every time "
        "taken was ~10%).",
        f"- Regenerate: `nice -n 19 .venv/bin/python bench/measure.py --sizes "
        f"{','.join(f'{n:.0e}'.replace('+0', '') for n in sizes)}"
        + (" --big 1e8" if any(r["big"] for r in rows) else "")
        + "`.",
    ]
    lines.append(END)
    return "\n".join(lines) + "\n"


def write_section(path: Path, text: str) -> None:
    old = path.read_text("utf-8") if path.exists() else ""
    if START in old and END in old:
        new = old[: old.index(START)] + text.rstrip("\n") + old[old.index(END) + len(END) :]
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
