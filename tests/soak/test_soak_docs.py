"""docs/scheduling.md's examples work: its YAML parses into the manifests it promises, its
systemd units pass `systemd-analyze verify`, its Airflow line compiles, and its cron wrapper
turns each exit code into the promised exit and noise."""

from __future__ import annotations

import ast
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bots.engine.summary import EXIT_CODES
from tests.soak.soak_support import ROOT

DOC = ROOT / "docs" / "scheduling.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)\n```$", re.S | re.M)
QUIET_CODES = (0, 4, 75, 130)  # the wrapper keeps cron quiet and reports success
ALERT_CODES = (1, 2, 3, 77)  # the wrapper prints (cron mails it) and passes the code on


def blocks(language: str) -> list[str]:
    """The bodies of the page's fenced blocks in one language."""
    found = [body for lang, body in FENCE.findall(DOC.read_text(encoding="utf-8"))
             if lang == language]
    assert found, f"{DOC} has no ```{language} block"
    return found


def manifests() -> list[dict[str, Any]]:
    """Every Kubernetes manifest of the yaml blocks (each block parsed with ruamel.yaml; the
    recipe snippets among them have no `kind`)."""
    yaml = YAML(typ="safe")
    return [doc for body in blocks("yaml") for doc in yaml.load_all(io.StringIO(body))
            if doc and "kind" in doc]


def one_kind(kind: str) -> dict[str, Any]:
    [found] = [doc for doc in manifests() if doc.get("kind") == kind]
    return found


def test_the_exit_code_table_gives_each_code_its_meaning() -> None:
    text = DOC.read_text(encoding="utf-8")
    for code, meaning in EXIT_CODES.items():
        assert f"| {code} | {meaning} |" in text, f"exit code {code} row is missing or differs"


def test_every_yaml_block_parses_and_the_cronjob_never_overlaps() -> None:
    assert {doc["kind"] for doc in manifests()} == {"PersistentVolumeClaim", "Secret", "CronJob"}
    cronjob = one_kind("CronJob")["spec"]
    assert cronjob["concurrencyPolicy"] == "Forbid"
    pod = cronjob["jobTemplate"]["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    [bot] = pod["containers"]
    assert bot["command"][-2:] == ["runner.py", "claims-intake"]
    claims = [v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"]
              if "persistentVolumeClaim" in v]
    assert claims == [one_kind("PersistentVolumeClaim")["metadata"]["name"]]
    secrets = [source["secretRef"]["name"] for source in bot["envFrom"]]
    assert secrets == [one_kind("Secret")["metadata"]["name"]]
    state_env = {e["name"]: e["value"] for e in bot["env"]}["BOTS_STATE_DIR"]
    state_volume = next(m for m in bot["volumeMounts"] if m["name"] == "state")["mountPath"]
    assert state_env == state_volume


def test_the_pod_failure_policy_covers_every_failing_exit_code() -> None:
    job = one_kind("CronJob")["spec"]["jobTemplate"]["spec"]
    covered = [code for rule in job["podFailurePolicy"]["rules"]
               for code in rule["onExitCodes"]["values"]]
    assert sorted(covered) == sorted(code for code in EXIT_CODES if code != 0)


def unit_files(folder: Path) -> list[Path]:
    """The page's systemd units written into a folder, /opt/bots pointed at this checkout."""
    written = []
    for body in blocks("ini"):
        first = body.splitlines()[0]
        assert first.startswith("# /etc/systemd/system/"), f"unit block without a path: {first}"
        path = folder / first.rsplit("/", 1)[1]
        path.write_text(body.replace("/opt/bots", str(ROOT)) + "\n", encoding="utf-8")
        written.append(path)
    return written


def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    units = unit_files(tmp_path)
    assert sorted(p.suffix for p in units) == [".service", ".timer"]
    service = next(p for p in units if p.suffix == ".service").read_text()
    [quiet] = re.findall(r"^SuccessExitStatus=(.+)$", service, re.M)
    assert sorted(int(code) for code in quiet.split()) == [c for c in QUIET_CODES if c]
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    result = subprocess.run([analyze, "verify", "--man=no", *map(str, units)],
                            capture_output=True, text=True, timeout=60, check=False)
    # verify reports unknown keys and bad values on stderr but still exits 0
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_airflow_operator_line_is_python_with_the_skip_code() -> None:
    [line] = blocks("python")
    call = ast.parse(line).body[0].value  # type: ignore[attr-defined]
    keywords = {k.arg: k.value for k in call.keywords}
    assert call.func.id == "BashOperator"
    assert ast.literal_eval(keywords["skip_on_exit_code"]) == 4
    assert "runner.py claims-intake" in ast.literal_eval(keywords["bash_command"])


def test_the_crontab_line_runs_the_wrapper() -> None:
    [crontab] = blocks("crontab")
    [entry] = [line for line in crontab.splitlines() if line and "=" not in line]
    fields = entry.split()
    assert len(fields) == 7 and fields[5:] == ["/usr/local/bin/run-bot", "claims-intake"]


def wrapper_home(tmp_path: Path) -> tuple[Path, Path]:
    """(wrapper script, BOTS_HOME) with a stub runner that exits with $STUB_EXIT."""
    [wrapper] = [body for body in blocks("sh") if body.startswith("#!/bin/sh")]
    script = tmp_path / "run-bot"
    script.write_text(wrapper + "\n", encoding="utf-8")
    script.chmod(0o755)
    home = tmp_path / "home"
    stub = home / ".venv" / "bin" / "python"
    stub.parent.mkdir(parents=True)
    stub.write_text('#!/bin/sh\necho \'{"event": "run.summary"}\'\nexit "$STUB_EXIT"\n')
    stub.chmod(0o755)
    return script, home


@pytest.mark.parametrize("code", QUIET_CODES + ALERT_CODES)
def test_the_cron_wrapper_is_quiet_unless_a_person_must_look(tmp_path: Path, code: int) -> None:
    script, home = wrapper_home(tmp_path)
    result = subprocess.run([str(script), "claims-intake"], capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "BOTS_HOME": str(home),
                                 "STUB_EXIT": str(code)}, timeout=30, check=False)
    last_run = home / "state" / "logs" / "claims-intake-last-run.out"
    assert "run.summary" in last_run.read_text()
    if code in QUIET_CODES:
        assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    else:
        assert result.returncode == code
        assert f"exited {code}" in result.stderr and "run.summary" in result.stderr
