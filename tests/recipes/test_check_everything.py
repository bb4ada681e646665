"""`check` finds before a run what the run would find item by item: a field no step gives, a
workbook, sheet, column or inbox that is not there, an environment variable that is not set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from bots.commands.check import check
from bots.engine.summary import EXIT_OK, EXIT_RECIPE
from bots.kernel.errors import RecipeError
from bots.kernel.outputs import OPEN, VALUE, Outputs, declared
from bots.recipe import load_recipe

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "recipes").glob("*.yaml"))
PDF_STEP = """\
  - id: invoice
    uses: pdf.extract_fields
    with:
      path: ${item.path}
      layouts:
        - {name: acme, when: [ACME], fields: {amount: {label: "Amount:", type: amount}}}
"""


def write_recipe(folder: Path, steps: str, *, head: str = "") -> Path:
    inbox = folder / "inbox"
    inbox.mkdir(exist_ok=True)
    path = folder / "bot.yaml"
    path.write_text(f"recipe: bot\nsource: {{folder: {inbox}}}\n{head}steps:\n{PDF_STEP}{steps}",
                    encoding="utf-8")
    return path


def at(path: Path, text: str) -> str:
    """`file:line:col` of the first place `text` is written in the file."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return f"{path}:{number}:{line.index(text) + 1}"
    raise AssertionError(f"{text!r} is not in {path}")


def problems_of(path: Path) -> list[str]:
    with pytest.raises(RecipeError) as raised:
        load_recipe(str(path))
    return [str(problem) for problem in raised.value.problems]


def rules_on(value: str) -> str:
    return ("  - id: rules\n    uses: data.check_rules\n    with:\n      rules:\n"
            f"        - {{code: TOO_MUCH, value: \"{value}\", at_most: 5000}}\n")


def test_a_misspelt_output_field_is_refused_where_written_with_a_suggestion(tmp_path):
    path = write_recipe(tmp_path, rules_on("${invoice.amuont}"))
    where = at(path, '"${invoice.amuont}"')
    assert problems_of(path) == [
        f"{where}: '${{invoice.amuont}}': step 'invoice' (pdf.extract_fields) gives no "
        "field 'amuont' (did you mean 'amount'?)"]


def test_a_field_nothing_resembles_lists_what_the_step_gives(tmp_path):
    path = write_recipe(tmp_path, rules_on("${invoice.total_due}"))
    [problem] = problems_of(path)
    assert "no field 'total_due' (its fields: amount, currency, _checks," in problem


def test_the_right_fields_load_clean(tmp_path):
    path = write_recipe(tmp_path, rules_on("${invoice.amount}") +
                        rules_on("${invoice._layout}").replace("id: rules", "id: layout"))
    assert [step.id for step in load_recipe(str(path)).steps] == ["invoice", "rules", "layout"]


def test_a_rules_side_outputs_are_fields_too(tmp_path):
    """An amount gives its currency (in currency_field), a table its totals."""
    layouts = ("        - {name: acme, when: [ACME], fields: {total: {label: 'Total:',"
               " type: amount, currency_field: total_currency},"
               " lines: {table: {header: {item: Item}, totals: {net: Net}}}}}\n"
               "        - {name: globex, when: [Globex], fields: {amount: {label: 'Sum:', "
               "type: amount}}}\n")
    steps = "".join(rules_on(f"${{invoice.{name}}}").replace("id: rules", f"id: r_{name}")
                    for name in ("total_currency", "net", "currency", "lines", "amount"))
    path = write_recipe(tmp_path, steps)
    text = path.read_text().replace(PDF_STEP.splitlines()[-1] + "\n", layouts)
    path.write_text(text)
    assert len(load_recipe(str(path)).steps) == 6
    path.write_text(text.replace("${invoice.net}", "${invoice.nett}"))
    assert "did you mean 'net'?" in problems_of(path)[0]


def test_a_plain_value_has_nothing_below_it(tmp_path):
    search = ("  - id: inquiry\n    uses: web.search_record\n    with:\n      url: /inquiry\n"
              "      fields: {Policy: '${invoice.amount}'}\n      submit: Inquire\n"
              "      not_found: {text: NOT FOUND}\n      read: {status: Status}\n")
    path = write_recipe(tmp_path, search + rules_on("${inquiry.found.code}"),
                        head="web: {base_url: 'http://127.0.0.1:18120'}\n")
    [problem] = problems_of(path)
    assert "inquiry.found is a plain value, with no field 'code' inside" in problem
    fixed = path.read_text().replace("${inquiry.found.code}", "${inquiry.status}")
    path.write_text(fixed)
    assert load_recipe(str(path)).name == "bot"


def test_a_before_items_output_read_through_batch_is_checked(tmp_path):
    head = ("web: {base_url: 'http://127.0.0.1:18120'}\nbefore_items:\n  - id: start\n"
            "    uses: web.click_button\n    with: {url: /start, click: [Start]}\n")
    path = write_recipe(tmp_path, rules_on("${batch.start.clikced}"), head=head)
    [problem] = problems_of(path)
    assert "'${batch.start.clikced}': step 'batch.start' (web.click_button) gives no field " \
           "'clikced' (did you mean 'clicked'?)" in problem


def test_what_a_check_found_counts_as_the_side_effect_steps_output():
    recipe = load_recipe(str(ROOT / "recipes" / "claims-intake.yaml"))
    submit = next(step for step in recipe.steps if step.type.side_effect)
    assert submit.check_type is not None  # claims-intake reads ${submit.<field>} the check gives


def test_a_step_type_that_declares_nothing_accepts_every_field():
    assert declared(None, {}) is OPEN
    assert OPEN.missing(("anything", "below")) is None
    assert declared(lambda values: values["read"].keys(), {}) is OPEN  # cannot read: open
    shape = Outputs({"found": VALUE, "rows": None})
    assert shape.missing(("rows", "0", "x")) is None
    assert shape.missing(("found", "x")) == (1, VALUE)
    assert shape.union(Outputs({"rows": VALUE})).fields["rows"] is None


@pytest.mark.parametrize("recipe", BUNDLED, ids=lambda path: path.stem)
def test_every_bundled_recipe_checks_clean(recipe, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert check(str(recipe.relative_to(ROOT)), offline=True) == EXIT_OK, capsys.readouterr().err
    for name in ("LEGACY_URL", "LEGACY_USER", "LEGACY_PASSWORD", "PRACTICE_URL",
                 "PRACTICE_USER", "PRACTICE_PASSWORD"):
        monkeypatch.setenv(name, "set-for-the-test")
    assert check(str(recipe.relative_to(ROOT))) == EXIT_OK, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "here: found " in out and "set-for-the-test" not in out


def register(path: Path, headers: list[str], sheet: str = "Register") -> Path:
    book = openpyxl.Workbook()
    book.active.title = sheet
    book.active.append(["Policy register"])  # a title row above the header
    book.active.append(headers)
    book.active.append(["POL-100234", "Active", 25000])
    book.save(path)
    return path


def lookup(path: Path, columns: str, sheet: str = "Register") -> str:
    return ("  - id: policy\n    uses: sheet.lookup_row\n    with:\n"
            f"      path: {path}\n      sheet: {sheet}\n      key_column: Policy No.\n"
            "      key: ${invoice.amount}\n"
            f"      columns: {columns}\n")


def test_a_lookup_column_the_workbook_lacks_is_found_by_check(tmp_path, capsys):
    book = register(tmp_path / "policies.xlsx", ["Policy No.", "Status", "Sum Insured"])
    path = write_recipe(tmp_path, lookup(book, "{status: Status, limit: Sum Insurd}"))
    assert check(str(path), offline=True) == EXIT_OK
    capsys.readouterr()
    assert check(str(path)) == EXIT_RECIPE
    err = capsys.readouterr().err
    assert f"{at(path, 'Sum Insurd')}: column 'Sum Insurd' does not exist in sheet 'Register'" \
        in err
    assert "(did you mean 'Sum Insured'?)" in err and "1 problem in the recipe" in err


def test_a_missing_sheet_or_workbook_is_found_by_check(tmp_path, capsys):
    book = register(tmp_path / "policies.xlsx", ["Policy No.", "Status"])
    path = write_recipe(tmp_path, lookup(book, "{status: Status}", sheet="Registre"))
    assert check(str(path)) == EXIT_RECIPE
    assert f"{at(path, 'Registre')}: sheet 'Registre' does not exist" in capsys.readouterr().err
    path = write_recipe(tmp_path, lookup(tmp_path / "gone.xlsx", "{status: Status}"))
    assert check(str(path)) == EXIT_RECIPE
    gone = str(tmp_path / "gone.xlsx")
    assert f"{at(path, gone)}: no workbook at {gone}" in capsys.readouterr().err


def test_a_sheet_source_column_and_a_missing_inbox_are_found_by_check(tmp_path, capsys):
    book = register(tmp_path / "orders.xlsx", ["PO Number", "Status", "Qty"], sheet="Lines")
    path = tmp_path / "orders.yaml"
    path.write_text(
        "recipe: orders\nsources:\n  - name: book\n    sheet:\n"
        f"      path: {book}\n      group_by: po\n"
        "      columns: {po: PO Number, qty: Quantity}\n"
        f"  - name: pdfs\n    folder: {tmp_path / 'no-inbox'}\n"
        f"steps:\n{PDF_STEP}", encoding="utf-8")
    assert check(str(path)) == EXIT_RECIPE
    err = capsys.readouterr().err
    assert f"{at(path, 'Quantity')}: column 'Quantity' does not exist in sheet 'Lines'" in err
    inbox = str(tmp_path / "no-inbox")
    assert f"{at(path, inbox)}: no inbox folder at {inbox}" in err
    assert check(str(path), offline=True) == EXIT_OK
    assert "offline: files, sheet columns and environment variables were not checked" in \
        capsys.readouterr().out


def test_env_names_are_reported_set_or_missing_never_their_values(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("BOT_TEST_TOKEN", "s3cr3t-value")
    monkeypatch.setenv("BOT_TEST_USER", "robot-user")
    monkeypatch.delenv("BOT_TEST_TOKN", raising=False)
    head = ("web:\n  base_url: http://127.0.0.1:18120\n  login:\n    url: /login\n"
            "    fields: {User: '${env.BOT_TEST_USER}', Password: '${env.BOT_TEST_TOKN}'}\n"
            "    submit: Sign On\n")
    search = ("  - id: inquiry\n    uses: web.search_record\n    with:\n      url: /inquiry\n"
              "      fields: {Policy: '${invoice.amount}'}\n      submit: Inquire\n")
    path = write_recipe(tmp_path, search, head=head)
    assert check(str(path)) == EXIT_RECIPE
    out, err = capsys.readouterr()
    assert "environment: set: BOT_TEST_USER" in out
    where = at(path, "'${env.BOT_TEST_TOKN}'")
    assert f"{where}: environment variable BOT_TEST_TOKN " \
           "is not set (did you mean 'BOT_TEST_TOKEN'? Otherwise set BOT_TEST_TOKN in the " \
           "environment or in" in err
    assert "s3cr3t-value" not in out + err and "robot-user" not in out + err
    monkeypatch.setenv("BOT_TEST_TOKN", "another-secret")
    assert check(str(path)) == EXIT_OK
    out, err = capsys.readouterr()
    assert "environment: set: BOT_TEST_TOKN, BOT_TEST_USER" in out
    assert "another-secret" not in out + err


def test_check_offline_as_a_command(tmp_path):
    path = write_recipe(tmp_path, rules_on("${invoice.amount}"))
    (tmp_path / "inbox").rmdir()
    run = [sys.executable, "runner.py", "check"]
    online = subprocess.run([*run, str(path)], cwd=ROOT, capture_output=True, text=True,
                            check=False, timeout=120)
    assert online.returncode == EXIT_RECIPE and "no inbox folder at" in online.stderr
    offline = subprocess.run([*run, "--offline", str(path)], cwd=ROOT, capture_output=True,
                             text=True, check=False, timeout=120)
    assert offline.returncode == EXIT_OK, offline.stderr
    assert "were not checked" in offline.stdout


LOCAL_STEPS = '''
from bots.kernel import StepContext, StepParams, step
from bots.kernel.outputs import Outputs


class Params(StepParams):
    text: str = ""


@step("local.undeclared", Params)
def undeclared(params: Params, ctx: StepContext) -> dict:
    """Declares no outputs: any field of it is accepted."""
    return {"anything": params.text}


@step("local.fragile", Params, preflight=lambda values: [1 / 0])
def fragile(params: Params, ctx: StepContext) -> dict:
    """Its preflight has a bug."""
    return {}


@step("local.declared", Params, outputs=lambda values: Outputs.named(["words"]))
def declared(params: Params, ctx: StepContext) -> dict:
    """Declares its one output."""
    return {"words": len(params.text.split())}
'''


def test_a_step_type_from_outside_is_open_unless_it_declares_its_outputs(tmp_path):
    steps = tmp_path / "my-steps"
    steps.mkdir()
    (steps / "local_steps.py").write_text(LOCAL_STEPS, encoding="utf-8")
    path = write_recipe(tmp_path, "  - {id: free, uses: local.undeclared}\n"
                                  "  - {id: count, uses: local.declared}\n" +
                        rules_on("${free.whatever.below} ${count.wrods}"))
    env = {**os.environ, "BOTS_STEPS_PATH": str(steps)}
    checked = subprocess.run([sys.executable, "runner.py", "check", "--offline", str(path)],
                             cwd=ROOT, env=env, capture_output=True, text=True, check=False,
                             timeout=120)
    assert checked.returncode == EXIT_RECIPE
    assert checked.stderr.count("gives no field") == 1, checked.stderr
    assert "step 'count' (local.declared) gives no field 'wrods' (did you mean 'words'?)" in \
        checked.stderr
    path = write_recipe(tmp_path, "  - {id: fragile, uses: local.fragile}\n")
    checked = subprocess.run([sys.executable, "runner.py", "check", str(path)], cwd=ROOT,
                             env=env, capture_output=True, text=True, check=False, timeout=120)
    assert checked.returncode == EXIT_RECIPE and "Traceback" not in checked.stderr
    assert "local.fragile could not check what it reads: ZeroDivisionError" in checked.stderr


def test_run_refuses_a_misspelt_field_before_any_item(tmp_path, monkeypatch, capsys):
    from bots.cli import main

    monkeypatch.setenv("BOTS_STATE_DIR", str(tmp_path / "state"))
    path = write_recipe(tmp_path, rules_on("${invoice.amuont}"))
    (tmp_path / "inbox" / "claim.pdf").write_bytes(b"%PDF-1.4 not really\n")
    assert main(["run", str(path)]) == EXIT_RECIPE
    out, err = capsys.readouterr()
    assert "gives no field 'amuont' (did you mean 'amount'?)" in err
    assert '"exit_code": 2' in out and '"done"' not in out
