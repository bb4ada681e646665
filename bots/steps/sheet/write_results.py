"""sheet.write_results: the results workbook of a run, one row per item, exceptions marked."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from bots.kernel import StepContext, StepParams, step
from bots.kernel.errors import ApplicationError
from bots.kernel.outputs import VALUE, Outputs

SOURCES = ("item", "status", "code", "message", "outputs", "updated_at")
EXCEPTION_COLOR = "FFF4CCCC"  # the fill of an exception's row
MAX_WIDTH = 60

EXAMPLE = """\
- id: report
  uses: sheet.write_results
  with:
    path: reports/claims-intake-results.xlsx    # under the state folder
    columns:
      File: item.name
      Status: status
      Code: code
      Message: message
      Reference: outputs.submit.reference
      Amount: outputs.claim.amount
"""


class Params(StepParams):
    """Where to write and which columns to show."""

    path: str = Field(description=(
        "The .xlsx to write; missing folders are created. A relative path is under the run's "
        "state folder (BOTS_STATE_DIR, default state/), so two state folders never overwrite "
        "each other's results: reports/results.xlsx is state/reports/results.xlsx. An "
        "absolute path is kept as written."))
    columns: dict[str, str] = Field(
        min_length=1, description="Header -> dotted path into an item's record: item.name, "
        "status, code, message, updated_at, outputs.<step id>.<field>.")
    sheet: str = Field(default="Results", min_length=1, max_length=31,
                       description="The sheet's name.")

    @field_validator("columns")
    @classmethod
    def _known_sources(cls, columns: dict[str, str]) -> dict[str, str]:
        unknown = {h: s for h, s in columns.items() if s.split(".")[0] not in SOURCES}
        if unknown:
            raise ValueError(f"unknown sources {unknown}: a source starts with one of "
                             f"{', '.join(SOURCES)} (e.g. outputs.submit.reference)")
        return columns


def _outputs(values: Mapping[str, Any]) -> Outputs:
    """`path` (the workbook written) and `rows` (how many items it lists)."""
    return Outputs({"path": VALUE, "rows": VALUE})


@step("sheet.write_results", Params, example=EXAMPLE, outputs=_outputs)
def write_results(params: Params, ctx: StepContext) -> dict[str, Any]:
    """Write every item of the run to a results workbook, exceptions highlighted."""
    import openpyxl  # here, not at import: every run loads this step, few write a workbook

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = params.sheet
    sources = list(params.columns.values())
    sheet.append(list(params.columns))
    for row, record in enumerate(ctx.items, 2):
        _write_row(sheet, row, [source_value(record, s) for s in sources],
                   _is_exception(record))
    _format(sheet, len(ctx.items))
    target = ctx.state_dir / params.path  # an absolute path stays itself
    _save_atomically(workbook, target)
    return {"path": str(target), "rows": len(ctx.items)}


def source_value(record: Any, source: str) -> Any:
    """The value at a dotted path ("outputs.submit.reference") in a record; None if absent."""
    node = record
    for part in source.split("."):
        node = node.get(part) if isinstance(node, Mapping) else getattr(node, part, None)
        if node is None:
            return None
    return node


def _is_exception(record: Any) -> bool:
    return str(source_value(record, "status") or "").lower() == "exception"


def _write_row(sheet: Any, row: int, values: list[Any], highlight: bool) -> None:
    for column, value in enumerate(values, 1):
        cell = sheet.cell(row, column, _cell_value(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text from documents is data: "=..." must not become a formula
        if highlight:
            cell.fill = _exception_fill()


@cache
def _exception_fill() -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill("solid", start_color=EXCEPTION_COLOR, end_color=EXCEPTION_COLOR)


def _cell_value(value: Any) -> Any:
    """A value a cell can hold: numbers as they are, structures as JSON, text cleaned."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, default=str)
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _format(sheet: Any, rows: int) -> None:
    """Bold frozen header, a filter over the table, columns as wide as their content."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    last_column = get_column_letter(sheet.max_column)
    sheet.auto_filter.ref = f"A1:{last_column}{rows + 1}"
    for index, cells in enumerate(sheet.iter_cols(), 1):
        longest = max(len(str(c.value)) if c.value is not None else 0 for c in cells)
        # +3 leaves room for the filter button in the header cell
        sheet.column_dimensions[get_column_letter(index)].width = min(longest + 3, MAX_WIDTH)


def _save_atomically(workbook: Any, target: Path) -> None:
    """Write to a temporary file beside the target, then replace: readers never see half."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(suffix=".xlsx.tmp", dir=target.parent)
        os.close(handle)
    except OSError as error:
        raise _unwritable(target, error) from error
    try:
        workbook.save(temporary)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a report is for people to read
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise _unwritable(target, error) from error


def _unwritable(target: Path, error: OSError) -> ApplicationError:
    reason = error.strerror or str(error)
    return ApplicationError(f"cannot write the results workbook {target} ({reason}); check "
                            "the folder is writable, and close the file if it is open in Excel",
                            code="STEP_FAILED", file=str(target))
