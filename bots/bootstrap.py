"""First-run setup with the standard library only: a virtual environment and a browser.

`python3 runner.py ...` works on a machine that has only Python 3.11: the first call creates
`.venv`, installs the project into it, installs a headless Chromium and the Tesseract OCR engine
(with the language packs of the documents we read) from Debian's packages when it runs as root
and they are not found, and then re-runs itself inside `.venv`. Later calls go straight to the
venv (and reinstall only when pyproject.toml changed).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
SYSTEM_BROWSERS = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium",
                   "/usr/bin/google-chrome", "/usr/bin/chromium-browser")
DEBIAN_PACKAGES = ("chromium-headless-shell", "fonts-dejavu-core")
# scans without a text layer are read by Tesseract (bots/pdf/ocr.py); one pack per language
OCR_LANGUAGES = ("eng", "deu", "fra", "nld", "spa", "ita")
OCR_PACKAGES = ("tesseract-ocr", *(f"tesseract-ocr-{lang}" for lang in OCR_LANGUAGES))


def in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def setup_marker() -> Path:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:12]
    return VENV / f".bots-installed-{digest}"


def ensure_ready(argv: list[str]) -> None:
    """Set up what is missing, then continue inside the project's venv (re-exec if needed)."""
    if in_project_venv() and setup_marker().exists():
        return
    if not setup_marker().exists():
        setup()
        os.environ["BOTS_JUST_SET_UP"] = "1"  # `setup` after a first-run setup has nothing to do
    if not in_project_venv():
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *argv])


def setup() -> None:
    """Create the venv, install the project with its test tools, and find or install a browser."""
    say("setting up: virtual environment in .venv")
    _create_venv()
    say("installing the project and its dependencies (a few minutes the first time)")
    _run([str(VENV_PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    _run([str(VENV_PYTHON), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]"])
    _compile_project()
    for old in VENV.glob(".bots-installed-*"):
        old.unlink()
    _ensure_browser()
    ensure_ocr()
    setup_marker().touch()
    say("setup complete")


def _compile_project() -> None:
    """Write the project's bytecode now, as pip does for the packages it installs: where
    PYTHONDONTWRITEBYTECODE is set (many container images) every run would otherwise compile
    each module it imports again (about 0.05 s of CPU a run)."""
    folders = [str(ROOT / name) for name in ("bots", "fixtures")]
    # best effort: a file that does not compile is compiled (and reported) when imported
    subprocess.run([str(VENV_PYTHON), "-m", "compileall", "-q", *folders],
                   stdout=subprocess.DEVNULL, check=False)


def _create_venv() -> None:
    if VENV_PYTHON.exists():
        return
    command = [sys.executable, "-m", "venv", str(VENV)]
    if subprocess.run(command, check=False).returncode == 0:
        return
    shutil.rmtree(VENV, ignore_errors=True)
    minor = f"python3.{sys.version_info.minor}-venv"
    _apt_install(("python3-venv", minor), why="Python's venv module is missing")
    _run(command)


def _ensure_browser() -> None:
    if os.environ.get("BOTS_BROWSER") or any(Path(p).exists() for p in SYSTEM_BROWSERS):
        return
    _apt_install(DEBIAN_PACKAGES, why="no Chromium was found")


def ensure_ocr() -> None:
    """Install Tesseract and its language packs when a language pack is missing.

    OCR is optional (only scans need it), so a user who may not install packages gets the
    command to run and a working setup; scans then stop as NO_TEXT_LAYER saying the same."""
    if all(Path(path).exists() for path in _ocr_language_files()):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        say("OCR for scanned PDFs is not installed; to add it run: sudo apt-get install -y "
            + " ".join(OCR_PACKAGES))
        return
    _apt_install(OCR_PACKAGES, why="the OCR engine for scanned PDFs (Tesseract) is missing")


def _ocr_language_files() -> list[str]:
    """Where Debian's tesseract-ocr-LANG packages put their trained data."""
    folder = os.environ.get("TESSDATA_PREFIX") or "/usr/share/tesseract-ocr/5/tessdata"
    return [f"{folder}/{lang}.traineddata" for lang in OCR_LANGUAGES]


def _apt_install(packages: tuple[str, ...], *, why: str) -> None:
    """Install Debian packages when we may; otherwise stop with the command to run."""
    command = "apt-get update && apt-get install -y " + " ".join(packages)
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"setup: {why}. Install it with: sudo sh -c '{command}' and run again.")
    say(f"{why}: installing {' '.join(packages)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    _run(["apt-get", "update", "-qq"], env=env)
    _run(["apt-get", "install", "-y", "-qq", *packages], env=env)


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, env=env, check=False)
    if result.returncode != 0:
        sys.exit(f"setup: `{' '.join(command)}` failed (exit {result.returncode}); "
                 "see its output above, fix the cause and run again.")


def say(message: str) -> None:
    print(f"[setup] {message}", file=sys.stderr, flush=True)
