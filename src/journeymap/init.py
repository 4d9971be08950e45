"""`journeymap init`: a new map from a stage framework, or a commented configuration file.

The starter maps are data files in `journeymap/starters/`; each holds `__TITLE__`, `__ID__` and
`__TODAY__` placeholders filled here. Every map written is checked against the format first, so
a starter that drifts from the model fails loudly instead of handing the author a broken file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from journeymap.config import DEFAULT_EXCLUDE, Config
from journeymap.loader import DEFAULT_LIMITS, load_text
from journeymap.model import SLUG_RE
from journeymap.project import project_root
from journeymap.render import DEFAULT_FORMATS
from journeymap.render.themes import DEFAULT_THEME
from journeymap.suggest import did_you_mean
from journeymap.validation import validate_shape
from journeymap.validation.schema import slugify

SCHEMA_NAME = "journeymap-1.schema.json"
# Where editors find the schema when the project keeps no copy of its own.
SCHEMA_URL = f"https://journeymap.dev/schema/{SCHEMA_NAME}"
DEFAULT_MAP_NAME = "journey.journey.yaml"
DEFAULT_CONFIG_NAME = "journeymap.toml"


@dataclass(frozen=True)
class Template:
    name: str
    summary: str
    stages: str
    default_title: str


TEMPLATES: dict[str, Template] = {
    t.name: t
    for t in (
        Template(
            "five-stage",
            "the classic customer journey, from first contact to recommending you",
            "awareness, consideration, purchase, retention, advocacy",
            "Our customer journey",
        ),
        Template(
            "buyer",
            "the buyer's journey, centred on the purchase decision",
            "awareness, consideration, decision, post-purchase",
            "Our buyer's journey",
        ),
        Template(
            "before-during-after",
            "three chapters of one experience; split them as the map grows",
            "before, during, after",
            "Our customer's experience",
        ),
        Template(
            "conversion",
            "a funnel: where prospects meet you, and how they convert and stay",
            "touchpoints, awareness, consideration, conversion, retention",
            "Our conversion funnel",
        ),
        Template(
            "service-blueprint",
            "customer steps with frontstage, backstage and support layers",
            "request, service, follow-up",
            "Our service blueprint",
        ),
    )
}
DEFAULT_TEMPLATE = "five-stage"


class InitError(Exception):
    """Something the user asked for that cannot be done (exit code 2)."""


def list_templates() -> str:
    width = max(len(name) for name in TEMPLATES)
    lines = [
        f"{t.name:<{width}}  {t.summary}\n{'':<{width}}  stages: {t.stages}"
        for t in TEMPLATES.values()
    ]
    return "\n".join(lines) + "\n\nUse one with: journeymap init PATH --template NAME\n"


def get_template(name: str) -> Template:
    template = TEMPLATES.get(name)
    if template is None:
        raise InitError(
            f"unknown template '{name}'{did_you_mean(name, TEMPLATES)}; "
            f"choose one of {', '.join(TEMPLATES)} (see `journeymap init --list`)"
        )
    return template


_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ,.()/'’&+-]*$")


def yaml_text(value: str) -> str:
    """A YAML scalar for `value`: plain when that reads back as the same text, else quoted."""
    looks_special = re.fullmatch(r"(?i)true|false|null|~|[-+0-9.e]+|\.inf|\.nan", value)
    if _PLAIN_SAFE.fullmatch(value) and not value.endswith(" ") and not looks_special:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def schema_reference(directory: Path) -> str:
    """Where the modeline points: the project's own copy of the schema if it keeps one."""
    start = directory.resolve()
    root = project_root(start)
    for folder in (start, *start.parents):
        for candidate in (folder / "schema" / SCHEMA_NAME, folder / SCHEMA_NAME):
            if candidate.is_file():
                return Path(os.path.relpath(candidate, start)).as_posix()
        if folder == root:
            break
    return SCHEMA_URL


def map_path(path: Path | None) -> Path:
    if path is None:
        return Path(DEFAULT_MAP_NAME)
    if path.is_dir():
        return path / DEFAULT_MAP_NAME
    return path


def render_map(
    template: Template, title: str | None, file_name: str, schema: str, today: dt.date
) -> str:
    """The text of a new map: header comments, then the starter with its placeholders filled."""
    body = resources.files("journeymap.starters").joinpath(f"{template.name}.yaml")
    text = body.read_text(encoding="utf-8")
    title = (title or template.default_title).strip() or template.default_title
    stem = file_name.split(".", 1)[0]
    shown = shlex.quote(file_name)  # the commands below, as a shell reads them
    id_line = ""
    if not SLUG_RE.fullmatch(stem):
        ident = slugify(stem) or slugify(title) or "journey"  # the name the user chose
        id_line = (
            f"id: {ident}{' ' * max(1, 28 - len(ident))}# the map's id; file names follow it\n"
        )
    header = (
        f"# yaml-language-server: $schema={schema}\n"
        f"#\n"
        f"# A customer journey map, from the {template.name} template\n"
        f"# (stages: {template.stages}).\n"
        f"# Replace the example text with what you learn from research; keep ids as slugs.\n"
        f"# From this file's folder:\n"
        f"#   journeymap validate {shown}   # the format\n"
        f"#   journeymap lint {shown}       # journey-mapping best practices\n"
        f"#   journeymap serve {shown}      # a live preview in the browser\n"
    )
    text = (
        text.replace("__ID__", id_line)
        .replace("__TITLE__", yaml_text(title))
        .replace("__TODAY__", today.isoformat())
    )
    return header + text


def check_map_text(text: str, display: str) -> None:
    """Make sure a generated map is valid; a failure here is a bug in a starter."""
    doc = load_text(text, display)
    value, findings = validate_shape(doc)
    problems = [*doc.findings, *findings]
    if value is None or problems:
        details = "; ".join(f"{f.line}:{f.column} {f.message}" for f in problems)
        raise RuntimeError(f"starter map {display} does not validate: {details}")


def create_map(
    path: Path | None,
    template_name: str,
    title: str | None = None,
    force: bool = False,
    schema: str | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write a new map and return its path. Raises InitError when the file exists."""
    template = get_template(template_name)
    target = map_path(path)
    refuse_existing(target, force)
    text = render_map(
        template,
        title,
        target.name,
        schema or schema_reference(target.parent),
        today or dt.date.today(),
    )
    check_map_text(text, target.name)
    write_new(target, text)
    return target


def refuse_existing(target: Path, force: bool) -> None:
    from journeymap.files import overwrite_refusal

    if target.is_dir():
        raise InitError(f"{target} is a directory")
    refusal = None if force else overwrite_refusal([target])
    if refusal is not None:
        raise InitError(refusal)


def write_new(target: Path, text: str) -> None:
    """Write the file, creating its folder (and the folders above) when missing."""
    from journeymap.files import make_folder, write_atomic

    try:
        make_folder(target)
        write_atomic(target, text.encode("utf-8"))
    except OSError as err:
        raise InitError(f"cannot write {target}: {err.strerror or err}") from None


def _rule_defaults() -> list[tuple[str, str, str]]:
    """Each lint rule's name, default severity and one-line summary, in documentation order."""
    from journeymap.lint import RULE_BY_NAME

    return [
        (rule.name, rule.default_severity.value, rule.summary) for rule in RULE_BY_NAME.values()
    ]


def _option_lines() -> str:
    """Every rule option but `stale-map`'s (written out above them), commented out."""
    from journeymap.lint import RULE_BY_NAME

    blocks = []
    for rule in RULE_BY_NAME.values():
        if rule.options and rule.name != "stale-map":
            lines = [f"# [rules.options.{rule.name}]"]
            lines += [f"# {option.name} = {option.default!r}" for option in rule.options]
            blocks.append("\n".join(lines))
    return "\n".join(blocks)


# The data has no default place or columns: `[measure]` is an example, commented out.
_MEASURE_EXAMPLE = """\
# Measuring (`journeymap measure`, and `lint --metrics` and `render --metrics`): the event log
# and survey answers (paths relative to this file, and inside its folder), their column
# names, and where the metrics are written and read. An example; `journeymap measure --help`.
# [measure]
# events = "data/events/*.parquet"               # CSV, Parquet or JSON Lines files or globs
# responses = "data/answers.csv"                 # survey answers: user, survey, score, time
# columns = {user = "user_id", event = "event_name", time = "ts"}  # also survey, score
# window = "14d"                                 # time to convert after the first step
# path = ["sees-ad", "compares-models", "pays"]  # the funnel; default: the steps with events
# metrics = "build/metrics.json"                 # what lint and render read by default
# engine = "duckdb"                              # or "spark"; a server is given with --engine
"""


def config_text() -> str:
    """A `journeymap.toml` with every setting at its default, each explained."""
    defaults = Config()
    limits = DEFAULT_LIMITS
    rules = _rule_defaults()
    width = max((len(name) + len(severity) for name, severity, _ in rules), default=0) + 6
    rule_lines = "\n".join(
        f"# {f'{name} = {chr(34)}{severity}{chr(34)}':<{width}}  # {summary}"
        for name, severity, summary in rules
    )
    return f"""\
# journeymap configuration. Every setting below is at its default; uncomment or change what
# you need. journeymap uses the nearest journeymap.toml (or .journeymap.toml, or a
# [tool.journeymap] table in pyproject.toml) from each map's folder up to the repository root.
# A command-line flag wins over this file.

# Which findings make `journeymap lint` exit 1: error, warning, info or never.
fail-on = "{defaults.fail_on}"

# Globs (relative to this file) of YAML files to leave out. Always left out:
# {", ".join(DEFAULT_EXCLUDE)}.
exclude = []
# exclude = ["drafts/**", "*.draft.yaml"]

# Rule severities: "off", "info", "warning" or "error". Each rule is shown (commented out) at
# its default severity; `journeymap rules NAME` documents one.
[rules]
{rule_lines}

# Rule options, at their defaults; `journeymap rules NAME` documents them.
# A map whose `updated` date is older than this many days is flagged as stale.
[rules.options.stale-map]
after-days = {defaults.stale_after_days}
{_option_lines()}

# Rules to ignore for some files: glob = [rule ids].
[per-file-ignores]
# "legacy/**" = ["stale-map"]

# Rendering: the theme and the formats `journeymap render` writes by default.
[render]
# theme = "{DEFAULT_THEME}"
# formats = [{", ".join(f'"{name}"' for name in DEFAULT_FORMATS)}]

{_MEASURE_EXAMPLE}
# Bounds on the work one input file can cause.
[limits]
max-bytes = {limits.max_bytes}
max-depth = {limits.max_depth}
max-nodes = {limits.max_nodes}
"""


def create_config(path: Path | None, force: bool = False) -> Path:
    target = Path(DEFAULT_CONFIG_NAME) if path is None else path
    if target.is_dir():
        target = target / DEFAULT_CONFIG_NAME
    refuse_existing(target, force)
    write_new(target, config_text())
    return target
