"""The `journeymap` command line: arguments in, calls below, exit code out.

Exit codes: 0 clean, 1 problems found, 2 usage, configuration or internal error, 130 on Ctrl-C.
Imports of the heavy parts happen inside the commands so `--version` and `--help` start fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar, cast

import typer

from journeymap import __version__
from journeymap.cli_exchange import register as register_exchange
from journeymap.clihelp import MAX_WIDTH, HelpCommand

if TYPE_CHECKING:
    import datetime as dt

    from journeymap.cache import Cached, ResultCache
    from journeymap.config import Config
    from journeymap.findings import Finding
    from journeymap.inputs import PassedOver, Tally
    from journeymap.inspection import Inspection as Checked

T = TypeVar("T")

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130

app = typer.Typer(
    name="journeymap",
    help=(
        "Customer journey maps as code: validate, lint and render YAML journey maps.\n\n"
        "Exit codes: 0 clean, 1 problems found, 2 usage, configuration or internal error."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": MAX_WIDTH},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"journeymap {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a full traceback on an internal error.")
    ] = False,
) -> None:
    if debug:
        os.environ["JOURNEYMAP_DEBUG"] = "1"


def parse_today(today: str | None) -> dt.date | None:
    """The value of `--today YYYY-MM-DD`, or a usage error (exit 2)."""
    import datetime

    if today is None:
        return None
    try:
        return datetime.date.fromisoformat(today)
    except ValueError:
        fail(f"--today {today!r}: expected a date as YYYY-MM-DD")


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    """Print `journeymap: error: ...` on stderr, as one line, and exit.

    The message may quote a file name, a configuration key or map text: `terminal` keeps it on
    its line (GitHub's runner takes a line that starts with `::` as a workflow command)."""
    from journeymap.escape import terminal

    typer.echo(f"journeymap: error: {terminal(message)}", err=True)
    raise typer.Exit(code)


def use_color(stream: object = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    target = stream if stream is not None else sys.stdout
    isatty = getattr(target, "isatty", None)
    return bool(isatty and isatty())


def write_output(text: str, output: Path | None) -> None:
    """Print, or write a file atomically when `--output` is given."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from journeymap.files import write_atomic

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(output, text.encode("utf-8"))
    except OSError as err:
        fail(f"cannot write {output}: {err.strerror or err}")


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"


PathsArg = Annotated[
    list[str],
    typer.Argument(
        help="Map or library files, or directories to search for them.",
        metavar="PATH...",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Use this configuration file instead of searching for one.",
        dir_okay=False,
    ),
]
IsolatedOpt = Annotated[
    bool, typer.Option("--isolated", help="Ignore every configuration file; use defaults.")
]
ConfigRevOpt = Annotated[
    str | None,
    typer.Option(
        "--config-rev",
        metavar="REV",
        help="Read the configuration files as they are at this git revision (a pull "
        "request's base), not from the working tree, so that a pull request cannot change "
        "the configuration of its own check (docs/security.md).",
        show_default=False,
    ),
]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Also name the YAML files passed over.")
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="A YAML file in a given directory that is not a map is an error, not passed over.",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to this file instead of stdout (missing folders are created).",
    ),
]


def check_paths(
    paths: list[str],
    config: Path | None,
    isolated: bool,
    verbose: bool,
    task: Callable[[Checked], T],
    jobs: int | None = None,
    cached: Cached[T] | None = None,
    *,
    tally: Tally | None = None,
    strict: bool = False,
    config_rev: str | None = None,
    finish: Callable[[T, int], Any] | None = None,
    by_name: bool = False,
    before: Callable[[Config], None] | None = None,
) -> Iterator[T]:
    """Find every input, then check each file and hand it to `task`, in file order.

    With `finish`, each result is handed on to it in the worker too (with the file's place
    among the inputs), and what it makes is what comes back; `by_name` and `before` as in
    `inspection.inspect_all`.

    `task` keeps what the command needs of a file (its findings) and lets the rest go, so
    memory stays flat; with many files the work is spread over the machine's cores (`jobs`).
    The YAML files passed over (not maps) are counted in `tally`; with `strict`, each is an
    error instead.
    """
    import gc

    from journeymap.config import ConfigError, ConfigFinder
    from journeymap.inputs import InputError, discover
    from journeymap.inspection import FilePipeline, default_jobs, inspect_all
    from journeymap.inspection import inspect_each as check_each

    try:
        finder = ConfigFinder(config, isolated, config_rev)
        inputs = discover(paths, finder, defer_sniff=True)
    except (ConfigError, InputError) as err:
        fail(str(err))
    if not inputs.files:
        fail(f"no journeymap files found in {', '.join(paths)}")
    gc.freeze()  # what is alive now (the imported modules) never needs scanning again
    workers = jobs if jobs else default_jobs(len(inputs.files))
    if finish is None:
        results = check_each(inputs.files, finder, task, workers, cached, inputs.unsniffed, strict)
    else:
        pipeline = FilePipeline(finder, task, cached, inputs.unsniffed, strict)
        results = inspect_all(
            inputs.files, pipeline, finish, workers, by_name=by_name, before=before
        )
    return _guarded(results, paths, verbose, tally)


def _guarded(
    results: Iterator[T | PassedOver], paths: list[str], verbose: bool, tally: Tally | None
) -> Iterator[T]:
    """Pass over files that are not maps (naming them with --verbose); turn a file that cannot
    be read or configured into `journeymap: error:` and exit 2; and exit 2 when no file at all
    was a map (a folder of other YAML must not pass silently)."""
    from journeymap.config import ConfigError
    from journeymap.inputs import InputError, PassedOver

    found = False
    try:
        for result in results:
            if isinstance(result, PassedOver):
                if tally is not None:
                    tally.passed_over.append(result.path)
                if verbose:
                    from journeymap.escape import terminal

                    typer.echo(
                        f"passed over {terminal(str(result.path))} (no top-level `journeymap` key)",
                        err=True,
                    )
                continue
            found = True
            yield result
    except (ConfigError, InputError) as err:
        fail(str(err))
    if not found:
        fail(f"no journeymap files found in {', '.join(paths)}")


NoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Check every file afresh: neither read nor write the result cache "
        "($JOURNEYMAP_CACHE_DIR, else $XDG_CACHE_HOME/journeymap, else ~/.cache/journeymap).",
    ),
]


def result_cache(no_cache: bool, command: str, salt: str) -> ResultCache | None:
    """The result cache of a command whose options are `salt`, unless turned off."""
    if no_cache or os.environ.get("JOURNEYMAP_NO_CACHE"):
        return None
    from journeymap.cache import ResultCache, code_fingerprint, default_directory

    return ResultCache(default_directory(), command, f"{command}|{salt}|{code_fingerprint()}")


JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        metavar="N",
        help="Worker processes [default: one per core when there are many files].",
        show_default=False,
    ),
]


MetricsOpt = Annotated[
    Path | None,
    typer.Option(
        "--metrics",
        help="metrics.json from `journeymap measure`: measured KPIs get their actuals and the "
        "data rules run [default: the configuration's measure.metrics, if the file exists].",
        dir_okay=False,
        show_default=False,
    ),
]


def load_metrics(
    metrics: Path | None, paths: list[str], config: Path | None, isolated: bool
) -> tuple[dict[str, Any] | None, str]:
    """The metrics file named, or the configuration's; with a key for the result cache."""
    import hashlib

    from journeymap.config import ConfigFinder
    from journeymap.measure.use import MetricsError, load

    if metrics is None and paths:
        setting = ConfigFinder(config, isolated).for_path(Path(paths[0])).measure.get("metrics")
        if isinstance(setting, str) and Path(setting).is_file():
            metrics = Path(setting)
    if metrics is None:
        return None, ""
    try:
        data = load(metrics)
    except MetricsError as err:
        fail(str(err))
    return data, hashlib.sha256(metrics.read_bytes()).hexdigest()


def _display_and_findings(checked: Checked) -> tuple[str, list[Finding]]:
    return checked.display, checked.findings


@app.command(cls=HelpCommand)
def validate(
    paths: PathsArg,
    output_format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ValidateFormat.text,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
    config_rev: ConfigRevOpt = None,
    verbose: VerboseOpt = False,
    strict: StrictOpt = False,
    jobs: JobsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Check maps against the format: syntax, schema, ids, references and libraries.

    Every problem is reported with file:line:column. In a directory, files named
    *.journey.yaml and YAML files with a top-level `journeymap` key (or that look like a map
    missing it) are checked; other YAML files are passed over, counted in the summary.
    """
    from journeymap.cache import Cached
    from journeymap.findings import ORDER, finding_from_dict
    from journeymap.inputs import Tally
    from journeymap.report import REPORTER_BY_NAME, Report

    cache = result_cache(no_cache, "validate", "")
    cached = None
    if cache is not None:
        cached = Cached(
            cache,
            dump=lambda r: [r[0], [f.to_dict() for f in r[1]]],
            load=lambda d: (d[0], [finding_from_dict(f) for f in d[1]]),
        )
    files: list[str] = []
    found: list[Finding] = []
    tally = Tally()
    for display, findings in check_paths(
        paths,
        config,
        isolated,
        verbose,
        _display_and_findings,
        jobs,
        cached,
        tally=tally,
        strict=strict,
        config_rev=config_rev,
    ):
        files.append(display)
        found.extend(findings)
    findings = sorted(found, key=ORDER)
    report = Report(
        command="validate",
        files=files,
        findings=findings,
        color=use_color() and output is None,
        passed_over=len(tally.passed_over),
    )
    write_output(REPORTER_BY_NAME[output_format.value].render(report), output)
    raise typer.Exit(_exit_code(findings, bool(findings)))


def _lint_formats() -> type[StrEnum]:
    from journeymap.report import REPORTER_NAMES

    return StrEnum("LintFormat", {name: name for name in REPORTER_NAMES})  # type: ignore[return-value]


LintFormat = _lint_formats()


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


RuleNamesOpt = list[str] | None


@app.command(cls=HelpCommand)
def lint(
    paths: PathsArg,
    output_format: Annotated[
        LintFormat | None,  # type: ignore[valid-type]
        typer.Option(
            "--format",
            "-f",
            help="Output format [default: text; github when GITHUB_ACTIONS=true].",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    select: Annotated[
        RuleNamesOpt,
        typer.Option(
            "--select",
            metavar="RULES",
            help="Run only these rules (comma-separated, or repeat the option).",
        ),
    ] = None,
    ignore: Annotated[
        RuleNamesOpt,
        typer.Option(
            "--ignore", metavar="RULES", help="Do not run these rules (comma-separated, or repeat)."
        ),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a finding is at or above this severity "
            "[default: the configuration's fail-on, else error].",
            show_default=False,
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            metavar="YYYY-MM-DD",
            help="The date stale-map compares `updated` with [default: today]; "
            "fix it for reproducible CI runs.",
            show_default=False,
        ),
    ] = None,
    metrics: MetricsOpt = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
    config_rev: ConfigRevOpt = None,
    verbose: VerboseOpt = False,
    strict: StrictOpt = False,
    jobs: JobsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Check maps against journey-mapping best practices (format errors first, as validate).

    `journeymap rules` lists the rules. Silence one finding with a
    `# journeymap: ignore[rule] -- reason` comment; configure rules in journeymap.toml.
    """
    import datetime as dt
    import functools

    from journeymap.cache import Cached
    from journeymap.config import ConfigError
    from journeymap.inputs import Tally
    from journeymap.lint import RULE_BY_NAME
    from journeymap.lint.core import check_config
    from journeymap.lint.run import LintedFile, check_names, lint_one, rule_infos, split_names
    from journeymap.report import REPORTER_BY_NAME
    from journeymap.report.github import GithubWriter
    from journeymap.report.stream import Context, Part, linted_part, write_report

    day = parse_today(today)
    tally = Tally()
    format_name = output_format.value if output_format is not None else "text"
    if output_format is None and os.environ.get("GITHUB_ACTIONS") == "true":
        format_name = "github"
    try:
        selected, ignored = split_names(select), split_names(ignore)
        check_names(selected, ignored)
        fail_level = fail_on.value if fail_on is not None else None
        day = day or dt.date.today()
        measured, measured_key = load_metrics(metrics, paths, config, isolated)
        task = functools.partial(
            lint_one,
            select=selected,
            ignore=ignored,
            fail_on=fail_level,
            today=day,
            metrics=measured,
        )
        options = [sorted(selected or []), sorted(ignored or []), fail_level, str(day)]
        options += [measured_key] if measured_key else []
        cache = result_cache(no_cache, "lint", f"{options!r}|{selected is None}")
        cached = None
        if cache is not None:
            cached = Cached(cache, dump=LintedFile.to_json, load=LintedFile.from_json)
        reporter = REPORTER_BY_NAME[format_name]
        color = format_name == "text" and use_color() and output is None
        context = Context("lint", rule_infos(), color)
        found = check_paths(
            paths,
            config,
            isolated,
            verbose,
            task,
            jobs,
            cached,
            tally=tally,
            strict=strict,
            config_rev=config_rev,
            finish=functools.partial(linted_part, reporter, context),
            by_name=not reporter.by_files,
            before=lambda found: check_config(found, RULE_BY_NAME),
        )
        parts = cast("Iterator[Part]", found)  # `finish` made them
        with _report_output(output) as out:
            writer = reporter.writer(out, context)
            totals = write_report(parts, writer, lambda: len(tally.passed_over))
    except ConfigError as err:
        fail(str(err))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if isinstance(writer, GithubWriter) and summary_file:
        try:
            with Path(summary_file).open("a", encoding="utf-8") as handle:
                handle.write(writer.step_summary())
        except OSError as err:
            fail(f"cannot append to GITHUB_STEP_SUMMARY {summary_file}: {err.strerror or err}")
    raise typer.Exit(EXIT_ERROR if totals.internal else EXIT_FINDINGS if totals.failed else EXIT_OK)


@contextlib.contextmanager
def _report_output(output: Path | None) -> Iterator[Callable[[str], object]]:
    """Where a report is written as it goes: stdout, or a file that appears when complete."""
    if output is None:
        yield sys.stdout.write
        sys.stdout.flush()
        return
    from journeymap.files import open_atomic

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with open_atomic(output) as handle:
            yield handle.write
    except OSError as err:
        fail(f"cannot write {output}: {err.strerror or err}")


def _exit_code(findings: list[Finding], failed: bool) -> int:
    """2 when a file met an internal error (the others were still checked), else 1 or 0."""
    from journeymap.findings import INTERNAL

    if any(f.rule == INTERNAL for f in findings):
        return EXIT_ERROR
    return EXIT_FINDINGS if failed else EXIT_OK


@app.command(cls=HelpCommand)
def rules(
    name: Annotated[
        str | None,
        typer.Argument(help="A rule name: print its full documentation.", show_default=False),
    ] = None,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print every rule's documentation as Markdown.")
    ] = False,
) -> None:
    """List the lint rules with their default severity, or document one rule."""
    from journeymap.lint import RULE_BY_NAME
    from journeymap.lint.run import rule_doc, rules_table

    if markdown:
        from journeymap.lint.docs import markdown as rules_markdown

        write_output(rules_markdown(), None)
    elif name is None:
        write_output(rules_table(), None)
    elif name in RULE_BY_NAME:
        write_output(rule_doc(name), None)
    else:
        from journeymap.lint.core import unknown_rule_message

        fail(f"{unknown_rule_message(name, RULE_BY_NAME)}; `journeymap rules` lists them")


@app.command(cls=HelpCommand)
def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the schema to this file instead of stdout (missing folders are created).",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of the map format (for editors and other validators)."""
    import json

    from journeymap.model import schema_document

    text = json.dumps(schema_document(), indent=2, ensure_ascii=False) + "\n"
    write_output(text, output)


@app.command(cls=HelpCommand)
def init(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="The new map (default journey.journey.yaml), or with --config the new "
            "configuration file (default journeymap.toml). A directory puts it there; "
            "missing folders are created.",
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        str, typer.Option("--template", "-t", metavar="NAME", help="Stage framework; see --list.")
    ] = "five-stage",
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="The map's title.")
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the templates, one line each, and exit.")
    ] = False,
    config_file: Annotated[
        bool,
        typer.Option("--config", help="Write a commented journeymap.toml with every default."),
    ] = False,
    schema_ref: Annotated[
        str | None,
        typer.Option(
            "--schema",
            metavar="PATH|URL",
            help="Path or URL of the JSON Schema for the editor modeline "
            "(default: the project's schema/journeymap-1.schema.json if it has one).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Start from an existing map instead of a template: a Mermaid journey "
            "(.mmd, or Markdown), a .csv or an .xlsx file (see `journeymap import`).",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Start a new map from a template that validates, with comments that guide the author."""
    import shlex

    if from_file is not None:
        from journeymap.cli_exchange import init_from

        raise typer.Exit(init_from(from_file, path, title, force, schema_ref))

    from journeymap.init import InitError, create_config, create_map, list_templates

    if list_:
        typer.echo(list_templates(), nl=False)
        raise typer.Exit(EXIT_OK)
    try:
        if config_file:
            written = create_config(path, force)
            typer.echo(f"Wrote {written}: every setting at its default, with comments.")
        else:
            written = create_map(path, template, title, force, schema_ref)
            shown = shlex.quote(str(written))
            typer.echo(
                f"Wrote {written} from the {template} template. Next:\n"
                f"  journeymap serve {shown}   # edit it and watch the preview\n"
                f"  journeymap lint {shown}"
            )
    except InitError as err:
        fail(str(err))


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command(cls=HelpCommand)
def diff(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="OLD NEW (two maps or two directories); with --rev, the maps or directories "
            "to compare (default: the whole repository from here); with --textconv, one file.",
            metavar="[OLD NEW | PATH...]",
            show_default=False,
        ),
    ] = None,
    rev: Annotated[
        str | None,
        typer.Option(
            "--rev", "-r", help="Compare the maps at this git revision with the working tree."
        ),
    ] = None,
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.text,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when there are changes, like git diff.")
    ] = False,
    lint: Annotated[
        bool,
        typer.Option(
            "--lint/--no-lint",
            help="Also list lint findings introduced, fixed or changed [default: --lint].",
        ),
    ] = True,
    textconv: Annotated[
        bool,
        typer.Option(
            "--textconv",
            help="Print one file as a readable outline, for git's diff driver (docs/ci.md).",
        ),
    ] = False,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
    config_rev: ConfigRevOpt = None,
) -> None:
    """Show what changed in journey maps, by id: a changelog for review.

    Given two metrics files (from `journeymap measure`), shows what changed in the measures.

    Stages and steps added, removed, moved or renamed; emotions, pain points, opportunities,
    KPIs, channels and handoffs; lint findings introduced or fixed.
    """
    from journeymap.config import ConfigError, ConfigFinder
    from journeymap.diff import FORMATTERS, DiffError, diff_paths, diff_revision, has_changes
    from journeymap.inputs import InputError

    args = paths or []
    if textconv:
        if len(args) != 1 or rev is not None:
            fail("--textconv takes exactly one file (git passes it)")
        from journeymap.diff import textconv_text

        try:
            write_output(textconv_text(Path(args[0])), output)
        except DiffError as err:
            fail(str(err))
        raise typer.Exit(EXIT_OK)
    if rev is None and len(args) != 2:
        fail("give OLD and NEW (two maps or two directories), or --rev REV [PATH...]")
    if rev is None:
        from journeymap.measure.compare import compare_files, is_metrics_file

        if is_metrics_file(Path(args[0])) and is_metrics_file(Path(args[1])):
            from journeymap.measure.use import MetricsError

            try:
                text, changed = compare_files(Path(args[0]), Path(args[1]), output_format.value)
            except MetricsError as err:
                fail(str(err))
            write_output(text, output)
            raise typer.Exit(EXIT_FINDINGS if exit_code and changed else EXIT_OK)
    lint_fn = None
    if lint:
        from journeymap.lint import lint_checked

        lint_fn = lint_checked
    try:
        finder = ConfigFinder(config, isolated, config_rev)
        if rev is not None:
            diffs = diff_revision(rev, [Path(p) for p in args or ["."]], finder, lint_fn)
        else:
            diffs = diff_paths(Path(args[0]), Path(args[1]), finder, lint_fn)
    except (DiffError, ConfigError, InputError) as err:
        fail(str(err))
    color = output_format is DiffFormat.text and use_color() and output is None
    write_output(FORMATTERS[output_format.value](diffs, color), output)
    raise typer.Exit(EXIT_FINDINGS if exit_code and has_changes(diffs) else EXIT_OK)


def _render_choices() -> tuple[type[StrEnum], list[str]]:
    from journeymap.render import RENDERER_NAMES
    from journeymap.render.themes import THEMES

    theme = StrEnum("RenderTheme", {name: name for name in THEMES})  # type: ignore[misc]
    return theme, list(RENDERER_NAMES)


RenderTheme, RENDER_FORMATS = _render_choices()
ThemeOpt = Annotated[
    RenderTheme | None,  # type: ignore[valid-type]
    typer.Option(
        "--theme",
        help="Colour theme [default: the configuration's render.theme, else default].",
        show_default=False,
    ),
]


@app.command(cls=HelpCommand)
def render(
    paths: PathsArg,
    output_dir: Annotated[
        Path,
        typer.Option(
            "--output-dir", "-o", help="Directory to write the files into.", metavar="DIR"
        ),
    ],
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help=f"Formats, comma-separated or repeated: {', '.join(RENDER_FORMATS)} "
            "[default: the configuration's render.formats, else html,svg].",
            show_default=False,
        ),
    ] = None,
    theme: ThemeOpt = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 naming every output that is missing or stale "
            "(for CI and pre-commit), 0 when all are current.",
        ),
    ] = False,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            metavar="YYYY-MM-DD",
            help="The date the health panel's stale-map check uses [default: today].",
            show_default=False,
        ),
    ] = None,
    metrics: MetricsOpt = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
    config_rev: ConfigRevOpt = None,
    verbose: VerboseOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Render maps as HTML pages, flow diagrams (SVG, PNG, PDF, DOT) and Mermaid.

    Files are named after each map's id (`<id>.html`, `<id>.svg`, `<id>.mmd`...); rendering
    several maps also writes a portfolio page, index.html. The same maps always give the same
    bytes, and unchanged files are not rewritten.
    """
    from journeymap.inputs import Tally
    from journeymap.render.run import run_render

    tally = Tally()
    measured, _ = load_metrics(metrics, paths, config, isolated)
    code = run_render(
        # One process: the portfolio page needs every map, so the maps stay in memory.
        check_paths(
            paths,
            config,
            isolated,
            verbose,
            lambda checked: checked,
            jobs=1,
            tally=tally,
            strict=strict,
            config_rev=config_rev,
        ),
        tally=tally,
        output_dir=output_dir,
        formats=formats,
        theme=theme.value if theme is not None else None,
        check=check,
        today=parse_today(today),
        fail=fail,
        metrics=measured,
    )
    raise typer.Exit(code)


@app.command(cls=HelpCommand)
def serve(
    path: Annotated[
        Path,
        typer.Argument(help="A map, or a directory for its portfolio.", show_default=False),
    ],
    port: Annotated[
        int,
        typer.Option("--port", "-p", metavar="N", help="Port on 127.0.0.1 (0 picks a free one)."),
    ] = 8765,
    theme: ThemeOpt = None,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the page in the default browser.")
    ] = False,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
) -> None:
    """Preview a map in the browser, reloading it whenever the map or a library changes.

    Listens on 127.0.0.1 only. While a map does not validate, the page shows its errors; the
    server keeps running until Ctrl-C.
    """
    import errno
    import time

    from journeymap.serve import Snapshot
    from journeymap.serve import serve as run_server

    if not path.exists():
        fail(f"{path}: no such file or directory")
    if not 0 <= port <= 65535:
        fail(f"--port {port}: must be from 0 to 65535")

    from journeymap.escape import terminal

    def ready(url: str, snapshot: Snapshot) -> None:
        typer.echo(f"Serving {terminal(str(path))} at {url} (Ctrl-C to stop)", err=True)
        if snapshot.errors:
            typer.echo(f"  {len(snapshot.errors)} problem(s); they are shown in the page", err=True)
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    def changed(snapshot: Snapshot) -> None:
        stamp = time.strftime("%H:%M:%S")
        state = f"{len(snapshot.errors)} problem(s)" if snapshot.errors else "valid"
        typer.echo(f"[{stamp}] reloaded: {state}", err=True)

    try:
        run_server(
            path,
            port,
            config,
            isolated,
            theme.value if theme is not None else None,
            on_ready=ready,
            on_change=changed,
        )
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            fail(f"port {port} on 127.0.0.1 is in use; choose another with --port")
        fail(f"cannot serve: {err.strerror or err}")
    except KeyboardInterrupt:
        typer.echo("journeymap: stopped serving", err=True)
    raise typer.Exit(EXIT_OK)


register_exchange(app)  # import, export


def _register_measure() -> None:
    """`journeymap measure` lives in its own module (it imports only typer at start-up)."""
    from journeymap.measure.command import measure

    app.command("measure", cls=HelpCommand)(measure)


_register_measure()


def _exception_classes() -> tuple[
    tuple[type[BaseException], ...], tuple[type[Exception], ...], tuple[type[BaseException], ...]
]:
    """The (exit, usage error, abort) exception classes the app can raise.

    Typer 0.2x raises its own vendored copy of click's exceptions, older typer raises click's;
    catching only click's turned every usage error and Ctrl-C into an "internal error".
    """
    exits: list[type[BaseException]] = [typer.Exit]
    usage: list[type[Exception]] = []
    aborts: list[type[BaseException]] = [typer.Abort, KeyboardInterrupt]
    vendored = getattr(typer, "TyperException", None)
    if isinstance(vendored, type) and issubclass(vendored, Exception):
        usage.append(vendored)
    try:
        import click
    except ImportError:  # pragma: no cover - typer >= 0.2x does not need click
        pass
    else:
        exits.append(click.exceptions.Exit)
        usage.append(click.ClickException)
        aborts.append(click.exceptions.Abort)
    return tuple(exits), tuple(usage), tuple(aborts)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Entry point: run the app and turn every way out into an exit code."""
    import signal
    import threading

    exits, usage_errors, aborts = _exception_classes()
    # `kill` (SIGTERM) unwinds like Ctrl-C, so files being written remove their temporaries.
    on_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGTERM) if on_main_thread else None
    if on_main_thread and previous == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        code = app(standalone_mode=False, prog_name="journeymap")
    except exits as err:
        sys.exit(getattr(err, "exit_code", EXIT_ERROR))
    except usage_errors as err:
        # Newer typer checks values with pydantic, whose "Value error, " prefix is noise here.
        message = getattr(err, "message", None)
        if isinstance(message, str):
            err.message = message.replace("Value error, ", "")  # type: ignore[attr-defined]
        show = getattr(err, "show", None)
        if callable(show):
            show()
        else:
            from journeymap.escape import terminal

            sys.stderr.write(f"Error: {terminal(str(err))}\n")
        sys.exit(EXIT_ERROR)
    except aborts:
        sys.stderr.write("journeymap: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_FINDINGS)
    except Exception as err:  # the last line of defence: one line, never a traceback
        if os.environ.get("JOURNEYMAP_DEBUG"):
            import traceback

            traceback.print_exc()
            sys.exit(EXIT_ERROR)
        from journeymap.escape import terminal

        sys.stderr.write(
            f"journeymap: internal error: {type(err).__name__}: {terminal(str(err))}\n"
            "This is a bug in journeymap. Run again with --debug for the traceback and "
            "report it.\n"
        )
        sys.exit(EXIT_ERROR)
    finally:
        if on_main_thread and previous == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if code == EXIT_INTERRUPTED:  # typer turns Ctrl-C in a command into a plain exit code
        sys.stderr.write("journeymap: interrupted\n")
    sys.exit(code if isinstance(code, int) else EXIT_OK)
