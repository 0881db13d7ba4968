"""The plugin's app factories: an app file is imported only when a synthesis needs it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from constructs_sfn.testing.assembly import TemplateError
from constructs_sfn.testing.synthesis import DeferredFactory, SynthesisCache, load_factory


def test_an_app_file_is_imported_only_when_its_factory_is_called(tmp_path: Path) -> None:
    (tmp_path / "lazy_app.py").write_text(
        "from pathlib import Path\n"
        "from constructs_sfn.testing import SynthesizedApp\n"
        "def build_app():\n"
        "    assembly = Path(__file__).parent / 'asm'\n"
        "    assembly.mkdir(exist_ok=True)\n"
        "    (assembly / 'manifest.json').write_text('{\"artifacts\": {}}')\n"
        "    return SynthesizedApp.from_assembly(assembly)\n"
    )
    factory, source = load_factory("lazy_app.py:build_app", root=tmp_path)
    assert isinstance(factory, DeferredFactory)
    assert source == (tmp_path / "lazy_app.py").resolve()
    assert factory.__module__ not in sys.modules  # nothing imported yet
    cache = tmp_path / "cache"
    SynthesisCache(cache).get(factory, source=source)  # a miss: imports, calls, stores
    assert factory.__module__ in sys.modules
    del sys.modules[factory.__module__]
    again, _ = load_factory("lazy_app.py:build_app", root=tmp_path)
    hit = SynthesisCache(cache)
    hit.get(again, source=source)
    assert (hit.hits, again.__module__ in sys.modules) == (1, False)  # a hit never imports the app


def test_a_missing_callable_is_named_when_called(tmp_path: Path) -> None:
    (tmp_path / "lazy_app.py").write_text("X = 1\n")
    factory, _ = load_factory("lazy_app.py:build_app", root=tmp_path)
    with pytest.raises(TemplateError, match=r"'build_app' is not a callable of .*lazy_app.py"):
        factory()
