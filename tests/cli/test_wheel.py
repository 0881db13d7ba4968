"""The built wheel installs into a fresh virtual environment and its console script runs.

How, without the network (tests reach loopback only): the wheel is built with ``python -m build
--wheel --no-isolation`` from a copy of the package's sources, so the build backend is the one in
.venv (``build``, ``setuptools`` and ``wheel`` are in the dev extra) rather than one downloaded
from the package index. A fresh venv is created without ``--system-site-packages`` and the wheel is
installed into it with ``pip install --no-deps --no-index``: installing the dependencies
(aws-cdk-lib, boto3, ...) would need the index, so the venv reaches .venv's dependencies through a
``.pth`` file holding the path of .venv's site-packages. A ``.pth`` path line does not run the
``.pth`` files inside that folder, so .venv's editable install of this repository stays inactive;
the test checks that ``constructs_sfn`` is imported from the fresh venv, i.e. from the wheel.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VENV_PYTHON = REPO / ".venv" / "bin" / "python"


def _run(*args: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout, check=False, cwd=cwd)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from a copy of the sources (the repository itself is left untouched)."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    shutil.copytree(REPO / "constructs_sfn", source / "constructs_sfn", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (REPO / name).is_file():
            shutil.copy2(REPO / name, source / name)
    built = _run(VENV_PYTHON, "-m", "build", "--wheel", "--no-isolation", "--outdir", root / "dist", source, cwd=root)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    [wheel_file] = (root / "dist").glob("constructs_sfn-*.whl")
    return wheel_file


def test_the_wheel_holds_every_module_and_the_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    package = REPO / "constructs_sfn"
    sources = {
        path.relative_to(REPO).as_posix()
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert sources - names == set()  # every module and every data file (py.typed ...)
    assert "constructs_sfn/py.typed" in names
    assert "constructs_sfn/cdk/approval_callback/handler.py" in names  # the Lambda asset's code
    [entry_points] = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "constructs-sfn = constructs_sfn.cli:main" in text
    assert "constructs_sfn = constructs_sfn.testing.plugin" in text


def test_installed_in_a_fresh_venv_the_console_script_runs(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    created = _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    site_packages = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp_path).stdout.strip()
    )
    assert site_packages.is_relative_to(venv)
    dependencies = sysconfig.get_path("purelib", vars={"base": str(REPO / ".venv")})
    (site_packages / "dependencies-from-dev-venv.pth").write_text(dependencies + "\n")
    installed = _run(
        VENV_PYTHON, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet", wheel,
        cwd=tmp_path,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stdout + installed.stderr
    script = venv / "bin" / "constructs-sfn"
    where = _run(python, "-c", "import constructs_sfn; print(constructs_sfn.__file__)", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(site_packages), where

    version = _run(script, "--version", cwd=tmp_path)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == "constructs-sfn 0.1.0"

    definition = tmp_path / "hello.asl.json"
    definition.write_text(
        json.dumps(
            {"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "Parameters": {"hello.$": "$.who"}, "End": True}}}
        )
    )
    ran = _run(script, "run", definition, "--input", '{"who": "world"}', cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines()[-1] == 'output: {"hello":"world"}'
    typed = _run(python, "-c", "import importlib.resources as r; print(r.files('constructs_sfn').joinpath('py.typed').is_file())", cwd=tmp_path)  # fmt: skip
    assert typed.stdout.strip() == "True"
