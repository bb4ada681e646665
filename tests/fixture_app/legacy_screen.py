"""Read a legacy app page the way a bot does: fields by their label cell, not by id."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import httpx

from fixtures.legacy_app import LegacyApp

CREDENTIALS = {"LEGACY_USER": "clerk", "LEGACY_PASSWORD": "Tr0ub4dor&3"}


class Screen(HTMLParser):
    """One parsed page: title, labelled fields, label/value rows, hidden fields, red errors."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__()
        self.response = response
        self.title = ""
        self.action = ""
        self.fields: dict[str, str] = {}  # label text -> generated field name
        self.ids: dict[str, str] = {}  # generated field name -> its id attribute
        self.values: dict[str, str] = {}  # label text -> read-only value
        self.hidden: dict[str, str] = {}
        self.buttons: list[str] = []
        self.errors: list[str] = []
        self.grid: list[list[str]] = []  # rows of cells of tables with <th> headers
        self._rows: list[list[dict[str, Any]]] = []
        self._in: str = ""
        self.feed(response.text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "tr":
            self._rows.append([])
        elif tag in ("td", "th") and self._rows:
            self._rows[-1].append({"tag": tag, "text": "", "controls": []})
        elif tag in ("input", "select", "textarea"):
            self._control(tag, a)
        elif tag == "form":
            self.action = a.get("action", "")
        elif tag == "span" and a.get("class") == "err" and "#c00" in a.get("style", ""):
            self.errors.append("")
            self._in = "err"
        elif tag == "title":
            self._in = "title"

    def _control(self, tag: str, a: dict[str, str]) -> None:
        kind = a.get("type", "text") if tag == "input" else tag
        if kind == "hidden":
            self.hidden[a["name"]] = a.get("value", "")
        elif kind == "submit":
            self.buttons.append(a.get("value", ""))
        elif self._rows and self._rows[-1]:
            self._rows[-1][-1]["controls"].append(a["name"])
            self.ids[a["name"]] = a.get("id", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._rows:
            self._row_done(self._rows.pop())
        elif tag in ("span", "title"):
            self._in = ""

    def handle_data(self, data: str) -> None:
        if self._in == "err":
            self.errors[-1] += data
        elif self._in == "title":
            self.title += data
        if self._rows and self._rows[-1]:
            self._rows[-1][-1]["text"] += data

    def _row_done(self, cells: list[dict[str, Any]]) -> None:
        texts = [c["text"].strip() for c in cells]
        if any(c["tag"] == "th" for c in cells) or self.grid:
            self.grid.append(texts)
        if len(cells) >= 2 and texts[0].endswith(":"):
            if cells[1]["controls"]:
                self.fields[texts[0]] = cells[1]["controls"][0]
            else:
                self.values[texts[0]] = texts[1]

    def form_data(self, values: dict[str, str], button: str = "") -> dict[str, str]:
        """The POST body: hidden fields, the labelled fields' values, the pressed button."""
        data = dict(self.hidden)
        data.update({self.fields[label]: value for label, value in values.items()})
        if button:
            data["action"] = button
        return data


def submit(client: httpx.Client, screen: Screen, values: dict[str, str],
           button: str = "") -> httpx.Response:
    """Fill the labelled fields and press the button, following redirects."""
    return client.post(screen.action, data=screen.form_data(values, button),
                       follow_redirects=True)


def get(client: httpx.Client, path: str) -> Screen:
    """GET a page (following redirects) and parse it."""
    return Screen(client.get(path, follow_redirects=True))


# The new-claim wizard, filled the way a bot would fill it.

CLAIMANT = {"Policy Number:": "pol-100234", "Claimant Name:": "Maria Keller",
            "Phone:": "+49 30 1234567"}
LOSS = {"Date of Loss:": "03/14/2026", "Loss Type:": "WTR", "Amount Claimed:": "1250.00",
        "External Reference:": "BOT-0001", "Description:": "Burst pipe in the kitchen"}


def to_confirm(client: httpx.Client, **loss: str) -> Screen:
    """Fill pages 1 and 2 and return the confirmation page."""
    page1 = get(client, "/claim/new")
    page2 = Screen(submit(client, page1, CLAIMANT, "Next >"))
    assert page2.title == "New Claim - Step 2 of 3: Loss Details", page2.errors
    return Screen(submit(client, page2, {**LOSS, **loss}, "Next >"))


def register_claim(client: httpx.Client, **loss: str) -> str:
    """Run the whole wizard and return the claim reference the result page shows."""
    done = Screen(submit(client, to_confirm(client, **loss), {}, "Submit Claim"))
    assert done.title == "Claim Registered", done.errors
    return done.values["Claim Reference:"]


# The order entry, filled the way a bot would fill it.

ORDER_HEADER = {"Customer PO Number:": "PO-4711", "Requested Date:": "07/15/2026",
                "Ship-To Name:": "Keller Haustechnik", "Ship-To Address:": "Hauptstr. 1",
                "Ship-To City:": "Koeln", "Ship-To Postcode:": "50667"}


def find_customer(client: httpx.Client, account: str) -> Screen:
    """The customer lookup page with one account number searched for."""
    return Screen(submit(client, get(client, "/order/customer"),
                         {"Account Number:": account}, "Find"))


def to_lines(client: httpx.Client, account: str = "C-10021", **header: str) -> Screen:
    """Find the customer, start an order, fill the header; returns the lines page."""
    started = Screen(submit(client, find_customer(client, account), {}, "Start Order"))
    assert started.title == "New Order - Header", started.errors
    return Screen(submit(client, started, {**ORDER_HEADER, **header}, "Continue"))


def add_line(client: httpx.Client, page: Screen, code: str, quantity: str) -> Screen:
    return Screen(submit(client, page, {"Product Code:": code, "Quantity:": quantity},
                         "Add line"))


def create_order(client: httpx.Client, po: str = "PO-4711",
                 lines: tuple[tuple[str, str], ...] = (("PIPE-15-CU", "10"),)) -> Screen:
    page = to_lines(client, **{"Customer PO Number:": po})
    for code, quantity in lines:
        page = add_line(client, page, code, quantity)
    confirm = Screen(submit(client, page, {}, "Review Order"))
    return Screen(submit(client, confirm, {}, "Submit Order"))


def stock(app: LegacyApp) -> dict[str, int]:
    """Every product's stock count, by product code."""
    return {p["code"]: p["stock"] for p in app.products()}
