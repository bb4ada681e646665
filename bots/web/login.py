"""Sign on to the target system with the recipe's ``web.login`` form.

Its fields and button are found like any step's (``bots.web.find``), without healing. Every
value typed into a password input is registered as a secret, so logs and evidence mask
it even when the recipe did not read it from a sensitively named variable.
"""

from __future__ import annotations

from playwright.async_api import Page

from bots.kernel.errors import ApplicationError
from bots.secrets import register_secret
from bots.web import forms
from bots.web.config import LoginConfig, WebConfig
from bots.web.controls import fill_control
from bots.web.guard import check_status, red_errors, translated
from bots.web.screen import Screen
from bots.web.targets import as_button


async def sign_on(page: Page, config: WebConfig) -> None:
    """Fill and submit the sign-on form; LOGIN_FAILED when the system refuses it."""
    login = config.login
    if login is None:
        return
    url = config.url(login.url)
    async with translated(f"opening the sign-on page {url}"):
        response = await page.goto(url)
    check_status(response, url)
    screen = Screen(page)  # no memory: a sign-on form is found the recipe's way only
    for label, value in login.fields.items():
        await _fill_credential(screen, label, value)
    await forms.submit(screen, as_button(login.submit), reject_red=False)
    await _check_signed_on(page, login, url)


async def _fill_credential(screen: Screen, label: str, value: str) -> None:
    found = await forms.found_field(screen, label)
    if found.kind == "input:password":
        register_secret(value)
    await fill_control(found, label, value)


async def _check_signed_on(page: Page, login: LoginConfig, login_url: str) -> None:
    text = (await forms.page_text(page)).lower()
    refused = await red_errors(page)
    if login.failure_text and login.failure_text.lower() in text:
        refused = refused or [login.failure_text]
    elif login.success_text and login.success_text.lower() not in text:
        refused = refused or [f"'{login.success_text}' did not appear"]
    if refused:
        raise ApplicationError("Sign-on refused at " + login_url + ": " + " | ".join(refused)
                               + ". Check the user and password given to the recipe.",
                               code="LOGIN_FAILED", errors=refused)
