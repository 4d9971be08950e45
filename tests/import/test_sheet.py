"""`journeymap export csv|xlsx` and `journeymap import csv|xlsx`: every example goes out and
comes back as the same map; workshop sheets with other column names and mistakes import with
findings that name the sheet, row and column."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from helpers import EXAMPLES, run
from journeymap.loader import load
from journeymap.model import JourneyMap
from journeymap.validation import validate_shape

from .kit import HERE, compare_golden

SHEETS = HERE / "sheets"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.journey.yaml"))
IDS = [p.name.split(".")[0] for p in EXAMPLE_FILES]


def model_of(path: Path) -> dict[str, Any]:
    """A map file's model, with the id it has (from the file name when it sets none)."""
    value, findings = validate_shape(load(path))
    assert findings == [] and isinstance(value, JourneyMap)
    data = value.model_dump()
    data["id"] = value.id or path.name.split(".", 1)[0]
    return data


def workspace(tmp_path: Path) -> Path:
    """A folder with the examples' shared library, where imported maps can be validated."""
    shutil.copytree(EXAMPLES / "shared", tmp_path / "shared")
    (tmp_path / "journeymap.toml").write_text("", encoding="utf-8")  # the project root
    return tmp_path


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=IDS)
def test_export_then_import_gives_back_the_same_map(path: Path, kind: str, tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    sheet = folder / f"out.{kind}"
    exported = run("export", kind, path, "-o", sheet)
    assert exported.code == 0, exported.err
    target = folder / "back.journey.yaml"
    imported = run("import", kind, sheet, "-o", target)
    assert (imported.code, imported.out.splitlines()[-1]) == (
        0,
        f"1 map imported from {sheet}: no problems",
    )
    assert model_of(target) == model_of(path)
    checked = run("validate", target, "--no-cache")
    assert checked.code == 0, checked.out


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_is_byte_stable(kind: str, tmp_path: Path) -> None:
    path = EXAMPLES / "trip-booking.journey.yaml"
    first, second = tmp_path / f"a.{kind}", tmp_path / f"b.{kind}"
    assert run("export", kind, path, "-o", first).code == 0
    assert run("export", kind, path, "-o", second).code == 0
    assert first.read_bytes() == second.read_bytes()


def test_csv_export_writes_the_other_sheets_beside_it(tmp_path: Path) -> None:
    result = run("export", "csv", EXAMPLES / "tv-purchase.journey.yaml", "-o", tmp_path / "tv.csv")
    names = ["tv.csv", "tv.personas.csv", "tv.channels.csv", "tv.map.csv"]
    assert result.err == f"Wrote {', '.join(str(tmp_path / n) for n in names)}\n"
    with (tmp_path / "tv.personas.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [
        "Id",
        "Name",
        "Description",
        "Goals",
        "Needs",
        "Pain points",
        "Quote",
        "Library",
    ]
    assert [(r[0], r[-1]) for r in rows[1:]] == [
        ("sam", "shared/personas.yaml"),
        ("jordan", "shared/personas.yaml"),
    ]


def test_workshop_csv_imports_with_located_findings(tmp_path: Path, update_golden: bool) -> None:
    target = tmp_path / "claim.journey.yaml"
    result = run("import", "csv", "claim.csv", "-o", target, cwd=SHEETS)
    assert result.code == 1
    assert result.out.splitlines() == [
        "claim.csv:2:G: warning unknown-column unknown column 'Notes to self': "
        "its cells are not imported",
        "claim.csv:5:E: warning bad-emotion emotion '4' is not a whole number from -2 to +2; "
        "left out",
        "claim.csv:6:C: warning unknown-reference unknown persona 'Dan'; left out",
        "claim.csv:8:E: warning bad-emotion emotion 'happy' is not a whole number from -2 to +2; "
        "left out",
        f"claim.csv -> {target} (3 stages, 6 steps, 1 persona)",
        "1 map imported from claim.csv: 0 errors, 4 warnings",
    ]
    compare_golden(SHEETS / "claim.expected.yaml", target.read_text("utf-8"), update_golden)
    assert run("validate", target, "--no-cache").code == 0


def workshop_book(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    steps = book.active
    steps.title = "Journey"
    rows = [
        [
            "Stage",
            "Pain-points",
            "Step",
            "Emotions",
            "Next step",
            "Moment of truth",
            "Touch points",
        ],
        ["Book", "", "Searches flights", 1, "", "", "Search page"],
        [
            None,
            "low: Too many filters\nhigh: Prices change | owner: pricing",
            "Picks a seat",
            -1,
            "pays",
            "",
            "",
        ],
        [None, "", "Pays", 2.0, "board", "maybe", ""],
        ["Fly", "", "Boards", 3, "", "yes", "Gate"],
        ["Fly", "urgent: Delayed", "Lands", 1, "", "", ""],
    ]
    for row in rows:
        steps.append(row)
    info = book.create_sheet("Map")
    info.append(["Field", "Value"])
    info.append(["Title", "Flying to Lisbon"])
    info.append(["Status", "someday"])
    book.save(path)


def test_workshop_xlsx_imports_with_sheet_row_and_column(tmp_path: Path) -> None:
    book = tmp_path / "flight.xlsx"
    workshop_book(book)
    target = tmp_path / "flight.journey.yaml"
    result = run("import", "xlsx", book, "-o", target)
    where = f"{book}[Journey]"
    assert result.code == 1
    assert result.out.splitlines() == [
        f"{where}:4:E: warning unknown-reference unknown step 'board' (did you mean 'boards'?); "
        "left out",
        f"{where}:4:F: warning bad-cell 'maybe' is not yes or no; left out",
        f"{where}:5:D: warning bad-emotion emotion '3' is not a whole number from -2 to +2; "
        "left out",
        f"{book}[Map]:3:B: warning bad-cell status 'someday': use current or future; left out",
        f"{where} -> {target} (2 stages, 5 steps, 0 personas)",
        f"1 map imported from {book}: 0 errors, 4 warnings",
    ]
    text = target.read_text("utf-8")
    assert "title: Flying to Lisbon\n" in text
    assert "pain_points:\n          - text: Too many filters\n            severity: low\n" in text
    assert "          - 'urgent: Delayed'\n" in text  # not a severity: kept as text
    assert "        moment_of_truth: true\n" in text


def test_spreadsheet_formulas_stay_text(tmp_path: Path) -> None:
    source = tmp_path / "formula.journey.yaml"
    source.write_text(
        "journeymap: 1\ntitle: Formulas\nstages:\n  - id: s\n    name: S\n    steps:\n"
        '      - id: a\n        name: \'=HYPERLINK("http://evil.example", "click")\'\n'
        "        thoughts: ['@SUM(1+1)', '-2+3']\n",
        encoding="utf-8",
    )
    for kind in ("csv", "xlsx"):
        sheet = tmp_path / f"formula.{kind}"
        assert run("export", kind, source, "-o", sheet).code == 0
        if kind == "csv":
            text = sheet.read_text("utf-8-sig")
            assert "'=HYPERLINK" in text and '"\'@SUM(1+1)\n-2+3"' in text
        else:
            from openpyxl import load_workbook

            cell = load_workbook(sheet)["Steps"]["D2"]
            assert (cell.value, cell.data_type) == (
                '=HYPERLINK("http://evil.example", "click")',
                "s",
            )
        back = tmp_path / f"back-{kind}.journey.yaml"
        assert run("import", kind, sheet, "-o", back).code == 0
        assert model_of(back) == model_of(source) | {"id": "formula"}


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (65 * 1024 * 1024))
    result = run("import", "xlsx", bomb)
    assert result.code == 2
    assert result.err == (
        f"journeymap: error: {bomb} unpacks to 68,157,440 bytes, more than the limit of "
        "67,108,864\n"
    )


def test_not_a_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("a,b\n", encoding="utf-8")
    result = run("import", "xlsx", fake)
    assert result.code == 2
    assert (
        result.err == f"journeymap: error: {fake} is not an xlsx workbook: File is not a zip file\n"
    )


def test_a_fifo_is_no_sheet(tmp_path: Path) -> None:
    fifo = tmp_path / "rows.csv"
    os.mkfifo(fifo)
    result = run("import", "csv", fifo)
    assert result.code == 2
    assert result.err == (
        f"journeymap: error: cannot read {fifo}: "
        "not a regular file (a FIFO, device or socket): journeymap reads only files\n"
    )


def test_libreoffice_opens_the_workbook(tmp_path: Path) -> None:
    """LibreOffice Calc opens the exported workbook and saves it again; the import of its copy
    gives back the same map."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (scripts/setup --with-office installs it)")
    folder = workspace(tmp_path)
    path = EXAMPLES / "service-blueprint.journey.yaml"
    sheet = folder / "blueprint.xlsx"
    assert run("export", "xlsx", path, "-o", sheet).code == 0
    converted = folder / "converted"
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(converted),
            str(sheet),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    copy = converted / "blueprint.xlsx"
    assert proc.returncode == 0 and copy.is_file(), proc.stdout + proc.stderr
    assert copy.read_bytes() != sheet.read_bytes()  # LibreOffice wrote its own file
    target = folder / "back.journey.yaml"
    result = run("import", "xlsx", copy, "-o", target)
    assert result.code == 0, result.out
    assert model_of(target) == model_of(path)


def test_init_from_a_spreadsheet_writes_a_map_with_the_modeline(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    sheet = folder / "trip.xlsx"
    assert run("export", "xlsx", EXAMPLES / "trip-booking.journey.yaml", "-o", sheet).code == 0
    result = run("init", "--from", "trip.xlsx", "--title", "Our trip", cwd=folder)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == (
        "Wrote trip-booking.journey.yaml from trip.xlsx (6 stages, 17 steps, 1 persona). Next:"
    )
    lines = (folder / "trip-booking.journey.yaml").read_text("utf-8").splitlines()
    assert lines[:2] == [
        "# Imported from trip.xlsx[Steps] (a spreadsheet) by journeymap.",
        "# yaml-language-server: $schema=https://journeymap.dev/schema/journeymap-1.schema.json",
    ]
    assert "title: Our trip" in lines
    again = run("init", "--from", "trip.xlsx", cwd=folder)
    assert (again.code, again.err) == (
        2,
        "journeymap: error: trip-booking.journey.yaml already exists; "
        "use --force to overwrite it\n",
    )
    unknown = run("init", "--from", "notes.txt", cwd=folder)
    assert unknown.code == 2
    assert "--from takes a Mermaid journey (.mmd, .md), a .csv or an .xlsx file" in unknown.err


def test_csv_from_a_european_excel_reads(tmp_path: Path) -> None:
    """Semicolons between cells, and Windows-1252 text when the file is not UTF-8."""
    sheet = tmp_path / "eu.csv"
    sheet.write_bytes(
        b'Phase;Step;Emotion;Pain points\nCaf\xe9;R\xe9serve;-1;"Card declined; retry"\n'
    )
    target = tmp_path / "eu.journey.yaml"
    assert run("import", "csv", sheet, "-o", target).code == 0
    text = target.read_text("utf-8")
    assert "  - id: cafe\n    name: Café\n" in text
    assert "        name: Réserve\n        emotion: -1\n" in text
    assert "          - Card declined; retry\n" in text


def test_a_persona_row_with_neither_id_nor_name_is_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("Stage,Step\nA,Do\n", "utf-8")
    (tmp_path / "t.personas.csv").write_text("Id,Name,Description\n,,just text\n", "utf-8")
    result = run("import", "csv", "t.csv", "-o", "t.journey.yaml", cwd=tmp_path)
    assert "internal error" not in result.err
    assert "t.personas.csv:2:C: warning bad-cell a row with no id or name: skipped" in result.out
    assert result.code == 1
    assert run("validate", tmp_path / "t.journey.yaml", "--no-cache").code == 0


def test_a_survey_in_the_stage_feedback_column_is_left_out_with_a_warning(tmp_path: Path) -> None:
    """A stage's feedback names no survey (surveys are measured per step): the import wrote a
    map that did not validate and stopped with an internal error."""
    (tmp_path / "t.csv").write_text(
        "Stage,Step,Stage feedback,Feedback\n"
        "Signup,Registers,csat: Signup survey | survey: s_csat,csat: Form | survey: r_csat\n",
        "utf-8",
    )
    result = run("import", "csv", "t.csv", "-o", "t.journey.yaml", cwd=tmp_path)
    assert "internal error" not in result.err
    assert (
        "t.csv:2:C: warning bad-cell 'csat: Signup survey | survey: s_csat': survey: a stage's "
        "feedback cannot name a `survey`: surveys are measured per step; move this feedback to "
        "the step where the survey is asked; left out"
    ) in result.out
    assert result.code == 1
    assert "survey: r_csat" in (tmp_path / "t.journey.yaml").read_text("utf-8")
    assert run("validate", tmp_path / "t.journey.yaml", "--no-cache").code == 0


def test_export_of_a_map_with_one_format_error_says_one(tmp_path: Path) -> None:
    """It said "1 format errors"."""
    source = workspace(tmp_path) / "broken.journey.yaml"  # beside its library
    text = (EXAMPLES / "tv-purchase.journey.yaml").read_text("utf-8")
    source.write_text(text.replace("emotion: 2", "emotion: 7", 1), "utf-8")
    result = run("export", "csv", source, "-o", tmp_path / "out.csv")
    assert (result.code, result.err) == (
        2,
        f"journeymap: error: {source} is not a valid map (1 format error); "
        f"`journeymap validate {source}` shows it\n",
    )
    assert not (tmp_path / "out.csv").exists()


CSV_FILES = ["mine.csv", "mine.personas.csv", "mine.channels.csv", "mine.map.csv"]


@pytest.mark.parametrize("taken", [[0], [2], [1, 3], [0, 1, 2, 3]], ids=str)
def test_csv_export_overwrites_nothing_without_force(tmp_path: Path, taken: list[int]) -> None:
    """A new user's trial: `export csv MAP -o mine.csv` overwrote mine.csv and the three files
    beside it, exit 0. Now any of the four that exists is named, and none is written."""
    source = EXAMPLES / "tv-purchase.journey.yaml"
    names = [CSV_FILES[i] for i in taken]
    for name in names:
        (tmp_path / name).write_text("my own work\n", "utf-8")
    refused = run("export", "csv", source, "-o", tmp_path / "mine.csv")
    shown = ", ".join(str(tmp_path / name) for name in names)
    verb, them = ("exists", "it") if len(names) == 1 else ("exist", "them")
    assert (refused.code, refused.out, refused.err) == (
        2,
        "",
        f"journeymap: error: {shown} already {verb}; use --force to overwrite {them} "
        "(nothing was written)\n",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
    assert all((tmp_path / n).read_text("utf-8") == "my own work\n" for n in names)

    forced = run("export", "csv", source, "-o", tmp_path / "mine.csv", "--force")
    assert forced.code == 0, forced.err
    assert forced.err == f"Wrote {', '.join(str(tmp_path / n) for n in CSV_FILES)}\n"
    assert (tmp_path / "mine.csv").read_bytes().startswith(b"\xef\xbb\xbfStage id,")


def test_xlsx_export_overwrites_nothing_without_force(tmp_path: Path) -> None:
    source = EXAMPLES / "tv-purchase.journey.yaml"
    mine = tmp_path / "mine.xlsx"
    mine.write_bytes(b"my own workbook")
    refused = run("export", "xlsx", source, "-o", mine)
    assert (refused.code, refused.err) == (
        2,
        f"journeymap: error: {mine} already exists; use --force to overwrite it\n",
    )
    assert mine.read_bytes() == b"my own workbook"
    # The default name, in the folder -o names, is checked the same way.
    inside = run("export", "xlsx", source, "-o", tmp_path, "--force")
    assert inside.code == 0, inside.err
    again = run("export", "xlsx", source, "-o", tmp_path)
    assert (again.code, again.err) == (
        2,
        f"journeymap: error: {tmp_path / 'tv-purchase.xlsx'} already exists; use --force to "
        "overwrite it\n",
    )
    forced = run("export", "xlsx", source, "-o", mine, "--force")
    assert (forced.code, forced.err) == (0, f"Wrote {mine}\n")
    assert zipfile.is_zipfile(mine)


def test_export_says_what_is_wrong_with_what_it_was_given(tmp_path: Path) -> None:
    said = {
        ("csv", "examples", "all.csv"): "examples is a folder: export takes one map file at a time",
        ("xlsx", "examples/shared/personas.yaml", "p.xlsx"): (
            "examples/shared/personas.yaml is a library (kind: library), not a map"
        ),
        ("csv", "examples/tv-purchase.journey.yaml", "tv.xlsx"): (
            "names an xlsx file, but this export writes a CSV one: run `journeymap export xlsx`"
        ),
    }
    root = Path(__file__).parent.parent.parent
    for (kind, source, target), says in said.items():
        result = run("export", kind, source, "-o", tmp_path / target, cwd=root)
        assert result.code == 2 and says in result.err, result.err
        assert not list(tmp_path.iterdir())


def test_a_map_imported_away_from_its_libraries_says_it_does_not_validate(tmp_path: Path) -> None:
    """Exported beside nothing and imported there, the map's `uses` names a library that is not
    beside it: it was written with 'no problems' and exit 0, and failed validate after."""
    (tmp_path / "journeymap.toml").write_text("", encoding="utf-8")
    sheet = tmp_path / "tv.csv"
    assert run("export", "csv", EXAMPLES / "tv-purchase.journey.yaml", "-o", sheet).code == 0
    target = tmp_path / "tv.journey.yaml"
    result = run("import", "csv", sheet, "-o", target)
    assert result.code == 1
    assert f"{target}:15:5: error reference library file 'shared/personas.yaml' not found" in (
        result.out
    )
    assert result.out.splitlines()[-2:] == [
        f"1 map imported from {sheet}: 12 errors, 0 warnings",
        "the map written does not validate where it is: `uses` paths are relative to the map "
        "file, so write it beside the map it was exported from, or fix them",
    ]
    as_json = run("import", "csv", sheet, "-o", target, "--force", "--format", "json")
    assert as_json.code == 1
    assert '"rule": "reference"' in as_json.out
