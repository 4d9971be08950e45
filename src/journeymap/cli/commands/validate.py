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
from journeymap.cli.output import exit_code, fail, input_options, note, use_color, write_output

if TYPE_CHECKING:
    from journeymap.cache import Cached
    from journeymap.findings import Finding
    from journeymap.inspection import Inspection
    from journeymap.mapids import MapId


#: What validate keeps of a file: its name, its findings and its map's id.
Checked = tuple[str, list["Finding"], "MapId | None"]


def _display_and_findings(checked: Inspection) -> Checked:
    from journeymap.mapids import map_id_of

    return checked.display, checked.findings, map_id_of(checked)


def _cached(no_cache: bool) -> Cached[Checked] | None:
    """The validate results of unchanged files, unless the cache is off."""
    from journeymap.cache import Cached
    from journeymap.findings import finding_from_dict
    from journeymap.mapids import id_from_json
    from journeymap.runner import result_cache

    cache = result_cache(not no_cache, "validate", "")
    if cache is None:
        return None
    return Cached(
        cache,
        dump=lambda r: [r[0], [f.to_dict() for f in r[1]], r[2]],
        load=lambda d: (d[0], [finding_from_dict(f) for f in d[1]], id_from_json(d[2])),
    )


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
    *.journey.yaml and YAML files with a top-level `journeymap: 1` (or that look like a map
    missing it) are checked; other YAML files are passed over, and links to folders or out of
    the project are not followed: the summary counts both, --verbose names them.
    """
    from journeymap.config import ConfigError
    from journeymap.findings import ORDER
    from journeymap.inputs import InputError, Tally
    from journeymap.lint.core import check_configured_rules
    from journeymap.mapids import clashes
    from journeymap.report import REPORTER_BY_NAME, Report
    from journeymap.runner import each_file

    cached = _cached(no_cache)
    inputs = input_options(config, isolated, config_rev, strict, verbose, note)
    files: list[str] = []
    found: list[Finding] = []
    tally = Tally()
    ids: list[tuple[str, MapId | None]] = []  # two maps with one id: an error on the later
    try:
        for display, findings, map_id in each_file(
            paths, inputs, _display_and_findings, jobs, cached, tally, before=check_configured_rules
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
        links_not_followed=len(tally.links),
    )
    write_output(REPORTER_BY_NAME[str(output_format)].render(report), output)
    raise typer.Exit(exit_code(findings, bool(findings)))
