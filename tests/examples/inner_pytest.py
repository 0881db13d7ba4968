"""Inner pytest sessions for the example tests: run in this interpreter (jsii already running),
as a fresh ``pytest`` would run them."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

import pytest

__all__ = ["InnerRun", "run_inner"]


class InnerRun:
    """What an inner pytest session printed, read as pytester's ``RunResult`` reads it."""

    def __init__(self, exit_code: int, output: str) -> None:
        self.ret = exit_code
        self.lines = output.splitlines()
        self.stdout = pytest.LineMatcher(self.lines)

    def assert_outcomes(self, **expected: int) -> None:
        outcomes = pytest.RunResult.parse_summary_nouns(self.lines)
        assert {key: outcomes.get(key, 0) for key in expected} == expected, "\n".join(self.lines)


def run_inner(directory: Path, *args: str) -> InnerRun:
    """``pytest *args`` in ``directory``, in this interpreter (jsii is already running here).

    Unlike pytester's in-process runs, only the modules of ``directory`` are forgotten afterwards:
    the library's modules stay as they are, so no class ends up loaded twice.
    """
    here = directory.resolve()
    saved_path, saved_cwd, saved_bytecode = list(sys.path), Path.cwd(), sys.dont_write_bytecode
    # Modules of the same names loaded from elsewhere (another test may have imported the real
    # example's ``refund_stack`` or another example's ``functions``) must not stand in for the copy's.
    local_names = {p.stem for p in here.glob("*.py")} | {p.name for p in here.iterdir() if p.is_dir()}
    shadowing = {name: sys.modules.pop(name) for name in list(sys.modules) if name.split(".")[0] in local_names}
    # A mutated module can have the size of the original: no bytecode cache may stand in for it.
    sys.dont_write_bytecode = True
    output = io.StringIO()
    try:
        os.chdir(here)
        # The inner run is a plain session even inside an xdist worker: syrupy keeps its report to
        # itself in a worker, and pytest warns that the (already imported) plugin is not rewritten.
        with contextlib.redirect_stdout(output), pytest.MonkeyPatch.context() as patch:
            patch.delenv("PYTEST_XDIST_WORKER", raising=False)
            patch.delenv("PYTEST_XDIST_WORKER_COUNT", raising=False)
            exit_code = pytest.main(
                ["-p", "no:xdist", "-p", "no:cacheprovider", "-W", "ignore::pytest.PytestAssertRewriteWarning", *args]
            )
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        sys.dont_write_bytecode = saved_bytecode
        for name, module in list(sys.modules.items()):
            if Path(getattr(module, "__file__", None) or "/").resolve().is_relative_to(here):
                del sys.modules[name]
        sys.modules.update(shadowing)
    return InnerRun(int(exit_code), output.getvalue())
