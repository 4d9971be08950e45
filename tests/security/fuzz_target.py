"""The coverage-guided fuzzer's target (atheris): one input through load, validate, lint, every
reporter, the diff formatters and the text renderers, with each output read back by its consumer.

Run it with `scripts/fuzz` (not in CI). An input is the bytes of a map; a line
`# fuzz-name: NAME` in it (with `\\n`, `\\r`, `\\t` and `\\xNN` escapes) makes NAME the file's
displayed name, so hostile file names are fuzzed too. Checked for every input:

- no exception escapes but our findings (`LoadError` is turned into a finding by the inspector);
- at most `SECONDS_PER_INPUT` of CPU time (CPU, not wall time: the machine is shared);
- at most `MEGABYTES_PER_INPUT` more memory at the input's peak than before it (the process's
  peak resident size against its size before the input; libFuzzer's `-rss_limit_mb`, set by
  `scripts/fuzz` well above, only stops a runaway);
- every output parses with its consumer's parser: JSON, SARIF (its 2.1.0 JSON Schema), JUnit
  XML, GitHub workflow commands (every line ours), terminal text (no control characters), and
  GitHub Flavored Markdown (cmark-gfm: no HTML, links or line breaks from map text).

A problem is recorded (once per kind and place) under `findings/` and fuzzing goes on; a
`stats.json` is rewritten every few seconds with executions and executions per second.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import html.parser
import json
import os
import re
import resource
import sys
import time
import traceback
from pathlib import Path
from xml.etree import ElementTree as ET

import atheris

with atheris.instrument_imports(include=["journeymap"]):
    from journeymap.config import ConfigFinder
    from journeymap.diff import format_json, format_markdown, format_text, map_diff, outline
    from journeymap.escape import terminal
    from journeymap.inspection import Inspector
    from journeymap.lint import lint_checked
    from journeymap.lint.run import rule_infos
    from journeymap.model import JourneyMap
    from journeymap.render import RENDERER_BY_NAME, RenderContext
    from journeymap.report import REPORTER_BY_NAME, Report
    from journeymap.report.github import step_summary

import cmarkgfm
import jsonschema
from cmarkgfm.cmark import Options as CmarkOptions

REPO = Path(__file__).resolve().parents[2]
SECONDS_PER_INPUT = 1.0
MEGABYTES_PER_INPUT = 200
_PAGE = os.sysconf("SC_PAGE_SIZE")
_STATM = Path("/proc/self/statm")
TODAY = dt.date(2026, 11, 23)
_NAME = re.compile(rb"^# fuzz-name: (.*)$", re.MULTILINE)
_ANNOTATION = re.compile(r"^::(error|warning|notice) file=[^:\n]*::[^\n]*$")
#: Formats rendered in-process (svg, png and pdf run Graphviz: a subprocess per input).
TEXT_RENDERS = ("html", "mermaid", "dot")
#: What the Markdown outputs may contain once rendered: the tags journeymap writes itself.
MARKDOWN_TAGS = {"h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td", "code", "em"}


class Problem(Exception):
    """An input made journeymap misbehave; `kind` groups the same problem."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs += [name for name, _ in attrs if name != "align"]


class Target:
    """The project an input is checked in, and the consumers' parsers."""

    def __init__(self, workdir: Path) -> None:
        self.project = workdir / "project"
        (self.project / "shared").mkdir(parents=True, exist_ok=True)
        (self.project / ".git").mkdir(exist_ok=True)
        shared = REPO / "examples" / "shared" / "personas.yaml"
        (self.project / "shared" / "personas.yaml").write_bytes(shared.read_bytes())
        self.finder = ConfigFinder(None, isolated=True)
        self.inspector = Inspector(self.finder)
        base = REPO / "examples" / "gym-membership.journey.yaml"
        (self.project / "base.journey.yaml").write_bytes(base.read_bytes())
        self.base = self.inspector.inspect(self.project / "base.journey.yaml")
        schema_path = REPO / "tests" / "lint" / "data" / "sarif-schema-2.1.0.json"
        schema = json.loads(schema_path.read_text("utf-8"))
        self.sarif = jsonschema.Draft7Validator(schema)
        self.rules = rule_infos()

    def run(self, data: bytes) -> None:
        name = _display_name(data)
        path = self.project / "m.journey.yaml"
        path.write_bytes(data)
        checked = self.inspector.inspect(path, data, name)
        findings = lint_checked(checked, today=TODAY)
        for fmt, reporter in REPORTER_BY_NAME.items():
            report = Report("lint", [name], list(findings), self.rules)
            self.consume(fmt, reporter.render(report))
        self.consume("step-summary", step_summary(Report("lint", [name], list(findings))))
        if checked.journey is None:
            return
        diff = [map_diff(self.base, checked, lambda c: lint_checked(c, today=TODAY))]
        self.consume("diff-markdown", format_markdown(diff))
        self.consume("diff-json", format_json(diff))
        self.consume("text", format_text(diff))
        if isinstance(checked.journey.map, JourneyMap):
            self.consume("text", outline(checked.journey.map))
        context = RenderContext(checked=checked, today=TODAY)
        for fmt in TEXT_RENDERS:
            rendered = RENDERER_BY_NAME[fmt].render(checked.journey, context)
            if fmt == "html":
                _Tags().feed(rendered.decode("utf-8"))

    def consume(self, fmt: str, text: str) -> None:
        """Read an output as its consumer would; raise Problem when it does not hold."""
        text.encode("utf-8")  # what writing it out does: a lone surrogate fails here
        try:
            if fmt in ("json", "gitlab", "diff-json"):
                json.loads(text)
            elif fmt == "sarif":
                errors = list(self.sarif.iter_errors(json.loads(text)))
                if errors:
                    raise Problem("sarif-schema", errors[0].message[:200])
            elif fmt == "junit":
                ET.fromstring(text)
            elif fmt == "github":
                lines = text.split("\n")[:-1]
                for line in lines[:-1]:
                    if not _ANNOTATION.match(line):
                        raise Problem("workflow-command", repr(line[:200]))
            elif fmt == "text":
                for line in text.split("\n"):
                    if line != terminal(line):
                        raise Problem("terminal", repr(line[:200]))
            elif fmt in ("diff-markdown", "step-summary"):
                self.markdown(fmt, text)
        except (ValueError, ET.ParseError) as err:
            raise Problem(f"{fmt}-parse", str(err)[:200]) from None

    @staticmethod
    def markdown(fmt: str, text: str) -> None:
        page = cmarkgfm.github_flavored_markdown_to_html(
            text, options=CmarkOptions.CMARK_OPT_UNSAFE
        )
        tags = _Tags()
        tags.feed(page)
        extra = tags.tags - MARKDOWN_TAGS
        if extra or tags.attrs:
            raise Problem(f"{fmt}-markup", f"{sorted(extra)} {tags.attrs[:5]}")
        # GitHub pings `@name` in text, not in code spans.
        if re.search(r"@[A-Za-z0-9]", re.sub(r"<code>.*?</code>", "", page, flags=re.DOTALL)):
            raise Problem(f"{fmt}-mention", page[:200])


def _resident_mb() -> float:
    return int(_STATM.read_bytes().split()[1]) * _PAGE / 2**20


def _display_name(data: bytes) -> str:
    match = _NAME.search(data)
    if match is None:
        return "m.journey.yaml"
    raw = match.group(1)[:200]
    return (
        raw.decode("unicode_escape", "replace") if b"\\" in raw else raw.decode("utf-8", "replace")
    )


class Fuzzer:
    def __init__(self, out: Path) -> None:
        self.out = out
        (out / "findings").mkdir(parents=True, exist_ok=True)
        self.target = Target(out / "work")
        self.executions = 0
        self.started = time.monotonic()
        self.last_stats = 0.0
        self.stats_path = out / "stats.json"
        try:
            previous = json.loads(self.stats_path.read_text("utf-8"))
        except (OSError, ValueError):
            previous = {}
        self.total_before = previous.get("executions_total", 0)
        self.seconds_before = previous.get("seconds_total", 0.0)
        self.kinds: dict[str, int] = previous.get("findings", {})

    def one(self, data: bytes) -> None:
        before = _resident_mb()
        cpu = time.process_time()
        try:
            self.target.run(data)
        except Problem as problem:
            self.record(problem.kind, str(problem), data)
        except Exception as err:  # anything but a finding is a bug
            where = traceback.extract_tb(err.__traceback__)[-1]
            kind = f"{type(err).__name__}@{Path(where.filename).name}:{where.lineno}"
            self.record(kind, "".join(traceback.format_exception(err))[-2000:], data)
        spent = time.process_time() - cpu
        if spent > SECONDS_PER_INPUT:
            self.record("slow", f"{spent:.2f} s of CPU for {len(data)} bytes", data)
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
        if grown > MEGABYTES_PER_INPUT:
            self.record("memory", f"{grown:.0f} MB over the size before it", data)
        self.executions += 1
        now = time.monotonic()
        if now - self.last_stats > 5:
            self.last_stats = now
            self.stats(now)

    def record(self, kind: str, detail: str, data: bytes) -> None:
        count = self.kinds.get(kind, 0)
        self.kinds[kind] = count + 1
        if count == 0:
            slug = re.sub(r"[^A-Za-z0-9_.@-]+", "_", kind)[:80]
            digest = hashlib.sha256(data).hexdigest()[:12]
            (self.out / "findings" / f"{slug}-{digest}.yaml").write_bytes(data)
            (self.out / "findings" / f"{slug}-{digest}.txt").write_text(detail + "\n", "utf-8")
            print(f"\nfuzz: NEW {kind}: {detail[:300]}", file=sys.stderr, flush=True)

    def stats(self, now: float) -> None:
        seconds = now - self.started
        payload = {
            "executions": self.executions,
            "seconds": round(seconds, 1),
            "executions_per_second": round(self.executions / max(seconds, 1e-9), 1),
            "executions_total": self.total_before + self.executions,
            "seconds_total": round(self.seconds_before + seconds, 1),
            "findings": self.kinds,
        }
        tmp = self.stats_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", "utf-8")
        tmp.replace(self.stats_path)


def replay(paths: list[Path]) -> int:
    """Run saved inputs again (`scripts/fuzz --replay FILE...`): what each does now."""
    target = Target(Path(os.environ.get("JOURNEYMAP_FUZZ_DIR", REPO / "build" / "fuzz")) / "work")
    failed = 0
    for path in paths:
        cpu = time.process_time()
        before = _resident_mb()
        try:
            target.run(path.read_bytes())
            verdict = "ok"
        except Exception as err:
            failed += 1
            verdict = f"{type(err).__name__}: {str(err)[:200]}"
        spent = time.process_time() - cpu
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
        print(f"{path.name}: {verdict} ({spent:.2f} s CPU, +{max(grown, 0):.0f} MB)")
    return 1 if failed else 0


def main() -> None:
    if sys.argv[1:2] == ["--replay"]:
        sys.exit(replay([Path(p) for p in sys.argv[2:]]))
    out = Path(os.environ.get("JOURNEYMAP_FUZZ_DIR", REPO / "build" / "fuzz"))
    fuzzer = Fuzzer(out)
    for seed in sorted((out / "corpus").glob("*"))[:5]:  # warm up before libFuzzer measures
        with contextlib.suppress(Exception):  # recorded when libFuzzer runs it
            fuzzer.target.run(seed.read_bytes())
    atheris.Setup(sys.argv, fuzzer.one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
