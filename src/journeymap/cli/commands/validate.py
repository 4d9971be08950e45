"""`journeymap validate`: maps checked against the format, problems reported by location."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from journeymap.cli.options import (
    ConfigOpt,
    ConfigRevOpt,
    IsolatedOpt,
    JobsOpt,
    NoCacheOpt,
    OutputOpt,
    PathsArg,
    StrictOpt,
    TextOrJson,
    VerboseOpt,
)
from journeymap.cli.output import exit_code, fail, passed_over_printer, use_color, write_output

if TYPE_CHECKING:
    from journeymap.findings import Finding
    from journeymap.inspection import Inspection
    from journeymap.mapids import MapId


def _display_and_findings(checked: Inspection) -> tuple[str, list[Finding], MapId | None]:
    from journeymap.mapids import map_id_of

    return checked.display, checked.findings, map_id_of(checked)


def validate(
    paths: PathsArg,
    output_format: Annotated[
        TextOrJson, typer.Option("--format", "-f", help="Output format.")
    ] = "text",
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
    from journeymap.config import ConfigError
    from journeymap.findings import ORDER, finding_from_dict
    from journeymap.inputs import InputError, Tally
    from journeymap.mapids import clashes, id_from_json
    from journeymap.report import REPORTER_BY_NAME, Report
    from journeymap.runner import InputOptions, each_file, result_cache

    cache = result_cache(not no_cache, "validate", "")
    cached = None
    if cache is not None:
        cached = Cached(
            cache,
            dump=lambda r: [r[0], [f.to_dict() for f in r[1]], r[2]],
            load=lambda d: (d[0], [finding_from_dict(f) for f in d[1]], id_from_json(d[2])),
        )
    inputs = InputOptions(config, isolated, config_rev, strict, passed_over_printer(verbose))
    files: list[str] = []
    found: list[Finding] = []
    tally = Tally()
    ids: list[tuple[str, MapId | None]] = []  # two maps with one id: an error on the later
    try:
        for display, findings, map_id in each_file(
            paths, inputs, _display_and_findings, jobs, cached, tally
        ):
            files.append(display)
            found.extend(findings)
            ids.append((display, map_id))
    except (ConfigError, InputError) as err:
        fail(str(err))
    findings = sorted([*found, *clashes(ids)], key=ORDER)
    report = Report(
        command="validate",
        files=files,
        findings=findings,
        color=use_color() and output is None,
        passed_over=len(tally.passed_over),
    )
    write_output(REPORTER_BY_NAME[str(output_format)].render(report), output)
    raise typer.Exit(exit_code(findings, bool(findings)))
