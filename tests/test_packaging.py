"""The package outside a checkout: a built wheel carries the theme; internal errors and --debug."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher import cli

pytestmark = pytest.mark.slow  # a wheel built and installed in a fresh environment

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_init_and_build_outside_the_checkout(tmp_path):
    # Built from a copy: setuptools leaves build/lib behind, and this checkout's build/ is
    # the compendium's output folder.
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*cache*"
        ),
    )
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
    )
    (wheel,) = wheels.glob("publisher-*.whl")
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}

    def publisher(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "publisher", *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
        )

    where = subprocess.run(
        [sys.executable, "-c", "import publisher; print(publisher.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(site)  # the wheel, not this checkout
    made = publisher("init", "book")
    assert made.returncode == 0, made.stderr
    assert (elsewhere / "book" / "styles" / "templates" / "compendium.css.j2").is_file()
    built = publisher("-C", "book", "build", "--format", "pdf")
    assert built.returncode == 0, built.stderr
    assert list((elsewhere / "book" / "build").glob("*.pdf"))


def _boom(*args, **kwargs):
    raise RuntimeError("boom")


def test_internal_error_is_one_line_without_debug(monkeypatch, tmp_path):
    monkeypatch.delenv("PUBLISHER_DEBUG", raising=False)
    monkeypatch.setattr("publisher.pipeline.scaffold.init_project", _boom)
    result = CliRunner().invoke(cli.main, ["init", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "internal error: RuntimeError: boom" in result.output
    assert "Traceback" not in result.output


def test_a_missing_dependency_says_to_set_up_again_not_a_bug(monkeypatch, tmp_path):
    """A checkout updated without its set-up (a dependency added since): one line that
    says what to run, not "a bug in publisher"."""

    def missing(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'pikepdf'", name="pikepdf")

    monkeypatch.delenv("PUBLISHER_DEBUG", raising=False)
    monkeypatch.setattr("publisher.pipeline.scaffold.init_project", missing)
    result = CliRunner().invoke(cli.main, ["init", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "'pikepdf'" in result.output and "./run setup" in result.output
    assert "bug" not in result.output and "Traceback" not in result.output


def test_debug_flag_and_variable_show_the_traceback(monkeypatch, tmp_path):
    monkeypatch.delenv("PUBLISHER_DEBUG", raising=False)
    monkeypatch.setattr("publisher.pipeline.scaffold.init_project", _boom)
    result = CliRunner().invoke(cli.main, ["--debug", "init", str(tmp_path / "x")])
    assert isinstance(result.exception, RuntimeError)
    monkeypatch.setenv("PUBLISHER_DEBUG", "1")
    result = CliRunner().invoke(cli.main, ["init", str(tmp_path / "y")])
    assert isinstance(result.exception, RuntimeError)


SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13")


def test_supported_pythons_are_declared_locked_and_tested():
    """Python 3.11, 3.12 and 3.13: `requires-python` admits each, the lock is one universal
    resolution (uv) that pins nothing only some of them can install, and CI tests each."""
    import tomllib

    import yaml

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11"
    classifiers = set(project["classifiers"])
    for version in SUPPORTED_PYTHONS:
        assert f"Programming Language :: Python :: {version}" in classifiers
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert "--universal --python-version 3.11" in lock.splitlines()[1]
    assert "python_version" not in lock and "python_full_version" not in lock
    workflow = yaml.safe_load((ROOT / ".github/workflows/compendium.yml").read_text())
    names = " ".join(
        entry["name"] for entry in workflow["jobs"]["test"]["strategy"]["matrix"]["include"]
    )
    for version in SUPPORTED_PYTHONS:
        assert f"Python {version}" in names
    assert "debian:trixie" in str(workflow["jobs"]["test"]["strategy"]["matrix"])
