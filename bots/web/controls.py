"""Fill a found control from one recipe value, whatever its kind.

- text, textarea, email, tel, number, password, contenteditable: the value's text is typed
  (a number input refuses what is not a number: FIELD_INVALID);
- checkbox (or a role=checkbox/switch widget): ticked for yes/true/x/1/on/checked/y, cleared
  for no/false/0/off/unchecked/n/'';
- radio group (inputs of one name, or role=radio widgets in a role=radiogroup): the option whose
  label or value matches (as a label: case and spaces aside;
  then one whose label contains it); a single radio: ticked for a yes word;
- select: by value or text (``bots.web.forms.pick_option``);
- date inputs: an ISO date, or a value with a ``date:`` format (read back with that pattern),
  written as the browser wants it (date: yyyy-mm-dd, datetime-local, month);
- file inputs: the path the value names (FILE_MISSING when there is no such file).

A None value leaves a checkbox, radio, select or file untouched; it clears a text field.
Every option list in an error is the page's, so the person fixing the data sees the choices.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from playwright.async_api import Locator

from bots.kernel.errors import BusinessError
from bots.web.find_clickables import RADIOS_JS
from bots.web.find_search import new_token
from bots.web.guard import translated
from bots.web.targets import Found
from bots.web.text import label_key
from bots.web.values import FieldValue, FormattedValue, as_text

TRUTHY = {"1", "true", "yes", "y", "x", "on", "checked", "ticked"}
FALSY = {"0", "false", "no", "n", "", "off", "unchecked", "none"}
OPTIONS_JS = "el => [...el.options].map(o => [o.value, o.text.trim()])"
DATE_FORMATS = {"input:date": "%Y-%m-%d", "input:datetime-local": "%Y-%m-%dT%H:%M",
                "input:month": "%Y-%m"}
TICKS = {"input:checkbox", "input:radio", "role:checkbox", "role:switch", "role:radio"}
UNTYPED = TICKS | {"input:file", "select", "radio-group"}
CLICK_JS = "(el, want) => { if (el.checked !== want) el.click(); return el.checked; }"


async def fill_control(found: Found, label: str, value: FieldValue) -> str:
    """Put the value into the control; the text typed (or chosen) for the record."""
    kind, raw = found.kind, value.value if isinstance(value, FormattedValue) else value
    if raw is None and kind in UNTYPED:
        return ""
    async with translated(f"filling '{label}'"):
        if kind in DATE_FORMATS:
            return await _typed(found.locator, iso_value(label, value, DATE_FORMATS[kind]))
        if kind == "input:file":
            return await _upload(found.locator, label, as_text(label, value))
        return await _by_kind(found, label, as_text(label, value))


async def _by_kind(found: Found, label: str, text: str) -> str:
    if found.kind == "select":
        await choose(found.locator, label, text)
        return text
    if found.kind in TICKS:
        await set_checked(found, is_ticked(label, text))
        return text
    if found.kind == "radio-group":
        return await _choose_radio(found, label, text)
    if found.kind == "input:number" and text.strip() and not _is_number(text):
        raise BusinessError(f"'{label}': {text!r} is not a number", code="FIELD_INVALID",
                            field=label, value=text)
    return await _typed(found.locator, text)


async def _typed(locator: Locator, text: str) -> str:
    await locator.fill(text)
    return text


def _is_number(text: str) -> bool:
    try:
        float(text.strip())
    except ValueError:
        return False
    return True


def is_ticked(label: str, text: str) -> bool:
    """A yes/no word as a tick: yes, true, x, 1, on, checked -> True; no, false, 0, off, ''."""
    word = text.strip().lower()
    if word in TRUTHY or word in FALSY:
        return word in TRUTHY
    raise BusinessError(f"'{label}': {text!r} is not a yes or no for a checkbox (use yes/no, "
                        f"true/false, x, 1/0 or on/off)", code="FIELD_INVALID", field=label,
                        value=text)


async def set_checked(found: Found, want: bool) -> None:
    """Tick or clear; a box the page hides behind a styled stand-in is clicked in the page."""
    if found.fingerprint.get("visible", True):
        await found.locator.set_checked(want)
    else:
        await found.locator.evaluate(CLICK_JS, want)


async def choose(locator: Locator, label: str, text: str) -> str:
    """Choose a select's option by value or text; the option value chosen."""
    options: list[list[str]] = await locator.evaluate(OPTIONS_JS)
    chosen = pick_option(options, text, label)
    await locator.select_option(value=chosen)
    return chosen


async def _choose_radio(found: Found, label: str, text: str) -> str:
    token = new_token()
    options: list[list[object]] = await found.locator.evaluate(
        RADIOS_JS, {"token": token, "name": found.fingerprint.get("name", "")})
    index = pick_radio([(str(o[0]), str(o[1])) for o in options], text, label)
    radio = found.locator.locator(f'[data-bots-found="{token}-{index}"]')
    visible = bool(options[index][2])
    await set_checked(Found(radio, "input:radio", found.how, {"visible": visible}), True)
    return str(options[index][1] or options[index][0])


def pick_option(options: list[list[str]], wanted: str, label: str = "") -> str:
    """The option value for a code or a text: exact code, exact text, then text containing it."""
    key = wanted.strip().lower()
    rules = (lambda v, t: v == wanted.strip(), lambda v, t: v.lower() == key,
             lambda v, t: label_key(t) == label_key(wanted), lambda v, t: key in t.lower())
    for rule in rules:
        hits = [value for value, text in options if rule(value, text)]
        if len(hits) == 1 or (hits and rule is not rules[-1]):
            return hits[0]
        if len(hits) > 1:
            raise _no_option(label, wanted, options, "matches several options")
    raise _no_option(label, wanted, options, "matches no option")


def _no_option(label: str, wanted: str, options: list[list[str]], why: str) -> BusinessError:
    listed = ", ".join(text for value, text in options if value)
    return BusinessError(f"'{label}': {wanted!r} {why}; the options are: {listed}",
                         code="FIELD_INVALID", field=label, value=wanted)


def pick_radio(options: list[tuple[str, str]], wanted: str, label: str) -> int:
    """The index of the radio whose label or value is the wanted text (then contains it)."""
    key = label_key(wanted)
    rules = (lambda value, text: label_key(text) == key, lambda value, text: value == wanted,
             lambda value, text: label_key(value) == key,
             lambda value, text: bool(key) and key in label_key(text))
    for rule in rules:
        hits = [index for index, (value, text) in enumerate(options) if rule(value, text)]
        if len(hits) == 1:
            return hits[0]
    shown = ", ".join(text or value for value, text in options)
    raise BusinessError(f"'{label}': {wanted!r} is none of its options: {shown}",
                        code="FIELD_INVALID", field=label, value=wanted)


def iso_value(label: str, value: FieldValue, pattern: str) -> str:
    """A date as a date input takes it, from an ISO value or one in the recipe's format."""
    raw = value.value if isinstance(value, FormattedValue) else value
    if isinstance(raw, date):
        return raw.strftime(pattern)
    text = str(raw).strip()
    try:
        return datetime.fromisoformat(text).strftime(pattern)
    except ValueError:
        pass
    given = value.format if isinstance(value, FormattedValue) else None
    if given and given.startswith("date:"):
        try:
            return datetime.strptime(text, given.removeprefix("date:")).strftime(pattern)
        except ValueError:
            pass
    raise BusinessError(f"'{label}' is a date field: {text!r} is not an ISO date (YYYY-MM-DD) "
                        f"nor in the recipe's format", code="FIELD_INVALID", field=label,
                        value=text)


async def _upload(locator: Locator, label: str, path: str) -> str:
    file = Path(path).expanduser()
    if not path.strip() or not file.is_file():
        raise BusinessError(f"'{label}': the file to upload {path!r} does not exist",
                            code="FILE_MISSING", field=label, path=path)
    await locator.set_input_files(file)
    return str(file)
