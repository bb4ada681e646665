"""Which Chromium to drive and with which command-line switches.

Order: env ``BOTS_BROWSER`` (a path); Playwright's own downloaded Chromium; a system Chromium
(the headless shell only when headless). The switches keep the browser quiet (no background
downloads, no sync) and, with network isolation on, unable to reach any host but the target.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import playwright

from bots.kernel.errors import ApplicationError

HEADLESS_ONLY = ("/usr/bin/chromium-headless-shell",)
SYSTEM_BROWSERS = ("/usr/bin/chromium", "/usr/bin/google-chrome")
ON_PATH = ("chromium-browser", "chromium", "google-chrome")
QUIET_SWITCHES = ("--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic")
INSTALL_HINT = ("install one: `apt-get install -y chromium-headless-shell` (Debian, headless) or "
                "`apt-get install -y chromium`, or `playwright install chromium` where the "
                "internet is reachable; or point env BOTS_BROWSER at a Chromium executable")


def cache_driver_code() -> None:
    """Let Playwright's Node.js driver keep its compiled code on disk between runs.

    Each run starts a new driver, which compiles Playwright's JavaScript again: about a quarter
    of the driver's start-up CPU (0.07 of 0.27 s here). Node's compile cache (Node 22.1+; older
    versions ignore ``NODE_COMPILE_CACHE``) keeps it under the user's cache folder. A folder the
    user set, or ``NODE_DISABLE_COMPILE_CACHE``, wins; Node skips a folder it cannot write.
    """
    if "NODE_COMPILE_CACHE" in os.environ or "NODE_DISABLE_COMPILE_CACHE" in os.environ:
        return
    try:
        cache_root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    except RuntimeError:  # no home folder known: run without the cache
        return
    os.environ["NODE_COMPILE_CACHE"] = str(Path(cache_root) / "bots" / "node-compile-cache")


def headed() -> bool:
    """Whether to show a browser window (env BOTS_HEADED=1), for watching a bot work."""
    return os.environ.get("BOTS_HEADED", "").strip() == "1"


def find_browser(bundled: str | None = None, *, visible: bool = False) -> str | None:
    """The Chromium executable to launch, or None to let Playwright use its own download.

    ``bundled`` is Playwright's own Chromium path (``playwright.chromium.executable_path``),
    looked up in Playwright's download folder when not given.
    """
    chosen = os.environ.get("BOTS_BROWSER", "").strip()
    if chosen:
        return _checked_env_browser(chosen)
    bundled = bundled or playwright_chromium()
    if bundled and _is_executable(bundled):
        return None
    for candidate in _system_candidates(visible):
        if _is_executable(candidate):
            return candidate
    mode = "a visible (headed)" if visible else "a"
    raise ApplicationError(f"No Chromium found for {mode} browser; {INSTALL_HINT}.",
                           code="BROWSER_ERROR")


def playwright_chromium() -> str | None:
    """Where `playwright install chromium` put Chromium for this Playwright version, if it did."""
    manifest = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    try:
        browsers = json.loads(manifest.read_text(encoding="utf-8"))["browsers"]
        revision = next(b["revision"] for b in browsers if b["name"] == "chromium")
    except (OSError, ValueError, KeyError, StopIteration):
        return None
    default_root = Path.home() / ".cache" / "ms-playwright"
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or default_root)
    found = sorted(root.glob(f"chromium-{revision}/chrome-*/chrome"))
    return str(found[0]) if found else None


def _checked_env_browser(path: str) -> str:
    if not _is_executable(path):
        raise ApplicationError(f"BOTS_BROWSER={path} is not an executable file; fix the path "
                               f"or unset it to use a Chromium found automatically.",
                               code="BROWSER_ERROR")
    return path


def _system_candidates(visible: bool) -> list[str]:
    fixed = list(SYSTEM_BROWSERS) if visible else [*HEADLESS_ONLY, *SYSTEM_BROWSERS]
    found_on_path = [shutil.which(name) for name in ON_PATH]
    return fixed + [path for path in found_on_path if path]


def _is_executable(path: str) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)


def launch_args(target_host: str, *, isolate_network: bool) -> list[str]:
    """Chromium switches: quiet always, no sandbox as root, only the target host when isolated."""
    args = list(QUIET_SWITCHES)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
    if isolate_network:
        allowed = ["localhost", "127.0.0.1", *([target_host] if target_host else [])]
        excludes = "".join(f" , EXCLUDE {host}" for host in dict.fromkeys(allowed))
        args.append(f"--host-resolver-rules=MAP * ~NOTFOUND{excludes}")
    return args
