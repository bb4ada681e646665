"""`runner.py setup` installs the OCR engine the way it installs the browser: from Debian's
packages when a language pack is missing, and only says how when it may not install."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bots import bootstrap


@pytest.fixture
def tessdata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    return tmp_path


def installs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(bootstrap, "_apt_install", lambda packages, why: calls.append(packages))
    return calls


def test_nothing_is_installed_when_every_language_pack_is_there(
        tessdata: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for lang in bootstrap.OCR_LANGUAGES:
        (tessdata / f"{lang}.traineddata").write_bytes(b"x")
    calls = installs(monkeypatch)
    bootstrap.ensure_ocr()
    assert calls == []


def test_a_missing_pack_is_installed_with_the_engine_as_root(
        tessdata: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tessdata / "eng.traineddata").write_bytes(b"x")
    calls = installs(monkeypatch)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    bootstrap.ensure_ocr()
    assert calls == [bootstrap.OCR_PACKAGES]
    assert {"tesseract-ocr", "tesseract-ocr-deu", "tesseract-ocr-fra", "tesseract-ocr-nld",
            "tesseract-ocr-spa", "tesseract-ocr-ita"} <= set(bootstrap.OCR_PACKAGES)


def test_without_root_setup_says_the_command_and_goes_on(
        tessdata: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    calls = installs(monkeypatch)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    bootstrap.ensure_ocr()  # no SystemExit: only scans need OCR
    assert calls == []
    assert "sudo apt-get install -y tesseract-ocr tesseract-ocr-eng" in capsys.readouterr().err
