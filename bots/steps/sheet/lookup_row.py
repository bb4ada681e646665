"""sheet.lookup_row: find one row of a spreadsheet by its key and return chosen columns."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from bots import sheets
from bots.kernel import StepContext, StepParams, step
from bots.kernel.errors import BusinessError
from bots.kernel.outputs import VALUE, Outputs, keys
from bots.kernel.refs import contains_reference
from bots.kernel.steps import Finding
from bots.normalize import normalize_policy_number
from bots.sheet_check import SheetUse, sheet_findings
from bots.sheet_index import IndexRequest, RegisterIndex, register_index

CODE = r"^[A-Z][A-Z0-9_]*$"
OUTPUT_NAME = r"^[A-Za-z][A-Za-z0-9_]*$"

EXAMPLE = """\
- id: policy
  uses: sheet.lookup_row
  with:
    path: fixtures/policies.xlsx
    sheet: Register
    key_column: Policy No.
    key: ${claim.policy_number}
    key_format: policy_number
    not_found_code: POLICY_NOT_FOUND
    missing_key_code: POLICY_MISSING
    columns: {status: Status, inception: Inception, expiry: Expiry, limit: Sum Insured}
    types: {inception: date, expiry: date, limit: amount}
"""


class Params(StepParams):
    """Where to look, what to look for, and which columns to return."""

    path: str = Field(description="The .xlsx workbook to read.")
    sheet: str | None = Field(default=None,
                              description="The sheet's name; default: the first sheet.")
    header_row: int | None = Field(
        default=None, ge=1, description="The header's row number; default: the first row "
        "that holds key_column (title rows above the header are skipped).")
    key_column: str = Field(min_length=1, description="The header of the column to search "
                            "(case and extra spaces ignored).")
    key: str | int | float | None = Field(description="The value to find; compared stripped, "
                                          "upper-cased, with single spaces.")
    key_format: Literal["text", "policy_number"] = Field(
        default="text", description="policy_number: compare keys as normalized policy numbers "
        "(' pol 100234' finds 'POL-100234').")
    columns: dict[str, str] = Field(
        default_factory=dict, description="Output name -> header text of the column to return.")
    types: dict[str, Literal["date", "amount", "text", "int"]] = Field(
        default_factory=dict, description="Output name -> date (YYYY-MM-DD), amount "
        "('25000.00'), text (single-spaced) or int; others: the cell value as it is.")
    not_found_code: str = Field(default="ROW_NOT_FOUND", pattern=CODE,
                                description="Exception code when no row has the key.")
    missing_key_code: str = Field(default="KEY_MISSING", pattern=CODE,
                                  description="Exception code when the key is empty.")

    @model_validator(mode="after")
    def _names_are_known(self) -> Params:
        bad = [name for name in self.columns if not _is_output_name(name)]
        if bad:
            raise ValueError(f"output names {bad} must be letters, digits and _ (not starting "
                             "with _ or a digit)")
        unknown = sorted(set(self.types) - set(self.columns))
        if unknown:
            raise ValueError(f"types names {unknown} which are not in columns "
                             f"({', '.join(self.columns) or 'none'})")
        return self


def _is_output_name(name: str) -> bool:
    return re.match(OUTPUT_NAME, name) is not None


def _outputs(values: Mapping[str, Any]) -> Outputs:
    """The output names of `columns:`, the row's provenance and its number."""
    return Outputs.named(keys(values, "columns"), inside=VALUE).union(  # cells: plain values
        Outputs.named(["_provenance", "_row"]))


def _preflight(values: Mapping[str, Any]) -> list[Finding]:
    """The workbook exists, with the sheet, key column and columns the step names (those
    written as references are known only per item and left alone)."""
    columns = values.get("columns") or {}
    fixed = [values.get(name) for name in ("path", "sheet", "header_row", "key_column")]
    if contains_reference(fixed) or not isinstance(columns, Mapping):
        return []
    use = SheetUse(Path(str(values["path"])), values.get("sheet"), values.get("header_row"),
                   (("key_column",), str(values["key_column"])),
                   {("columns", name): str(header) for name, header in columns.items()
                    if not contains_reference(header)}, ("path",), ("sheet",))
    return sheet_findings(use)


@step("sheet.lookup_row", Params, example=EXAMPLE, outputs=_outputs, preflight=_preflight)
def lookup_row(params: Params, ctx: StepContext) -> dict[str, Any]:
    """Find a spreadsheet row by its key; return chosen columns, typed, with provenance.

    The register is read once per run (per version of the file), streamed into a key -> row
    index holding only the columns asked for: a register of a million rows costs that index,
    not a loaded workbook, and every later item finds its row in it at once.
    """
    index = register_index(_request(params), _normalizer(params))
    table = index.table
    row, cells = _find_row(index, params)
    values: dict[str, Any] = {}
    provenance: dict[str, Any] = {}
    for name, column, raw in zip(params.columns, index.columns, cells, strict=True):
        _check_computed(index, raw, row, column)
        values[name] = _converted(table, params.types.get(name), raw, row, column)
        provenance[name] = {"file": params.path, "sheet": table.grid.name,
                            "cell": sheets.cell_name(row, column),
                            "text": "" if raw is None else str(raw)}
    return {**values, "_provenance": provenance, "_row": row}


def _request(params: Params) -> IndexRequest:
    return IndexRequest(params.path, params.sheet, params.header_row, params.key_column,
                        params.key_format, tuple(params.columns.values()))


def _normalizer(params: Params) -> Callable[[Any], str]:
    return _policy_key if params.key_format == "policy_number" else _text_key


def _find_row(index: RegisterIndex, params: Params) -> tuple[int, tuple[Any, ...]]:
    table = index.table
    key = _normalizer(params)(params.key) if params.key is not None else ""
    if not key:
        raise BusinessError(f"the key for column '{params.key_column}' is empty; nothing to "
                            f"look up in {table.where()}", code=params.missing_key_code,
                            file=params.path)
    found = index.find(key)
    if found is None:
        raise BusinessError(f"'{key}' was not found in column '{params.key_column}' of "
                            f"{table.where()}", code=params.not_found_code, key=key,
                            file=params.path, sheet=table.grid.name)
    return found


def _text_key(value: Any) -> str:
    return sheets.single_spaced(value).upper()


def _policy_key(value: Any) -> str:
    """A policy number in its canonical form ("POL-100234"); plain text when it is not one."""
    text = _text_key(value)
    try:
        return normalize_policy_number(text)
    except ValueError:
        return text


def _check_computed(index: RegisterIndex, value: Any, row: int, column: int) -> None:
    """An empty cell is blank, unless it holds a formula Excel never computed: an error."""
    if value is not None:
        return
    formula = index.formula_at(row, column)
    if formula is not None:
        table = index.table
        raise sheets.sheet_invalid(
            f"cell {sheets.cell_name(row, column)} of {table.where()} holds the formula "
            f"{formula} with no saved result; open and save the file in Excel to compute "
            "it", file=table.book.path, sheet=table.grid.name)


def _converted(table: sheets.Table, kind: str | None, raw: Any, row: int, column: int) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if kind is None:
        return sheets.as_plain(raw)
    try:
        return sheets.typed(kind, raw, table.book.epoch)
    except ValueError as error:
        raise BusinessError(f"cell {sheets.cell_name(row, column)} of {table.where()} is not "
                            f"a valid {kind}: {error}", code="FIELD_INVALID",
                            file=table.book.path, cell=sheets.cell_name(row, column)) from error
