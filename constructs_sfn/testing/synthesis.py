"""Synthesize a CDK app once per test session, and optionally reuse it across sessions.

An app is given as a factory (``"app.py:build_app"``, ``"mypkg.app:build_app"`` or a callable)
returning an ``App``, ``Stage`` or ``Stack``. Within a session each factory is synthesized once.
Across sessions, when asked (``--sfn-synth-cache``), the cloud assembly is stored under pytest's
cache, keyed by a hash of the factory's source tree (every ``*.py`` and ``cdk.json`` under the
directory of the factory's module, except ``tests``/``test`` folders and build output), the
installed aws-cdk-lib and constructs_sfn versions, and the factory's name. A reused assembly has
no construct objects, so tests bind by construct path
(``runner.bind_lambda("Orders/ChargeFn", handler)``), which works in both modes.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from constructs_sfn.testing.assembly import SynthesizedApp, TemplateError

__all__ = ["AppFactory", "DeferredFactory", "SynthesisCache", "load_factory", "source_fingerprint"]

AppFactory = Callable[[], Any]
"""A callable returning an ``App``, ``Stage``, ``Stack`` or ``SynthesizedApp``."""

# Folders that never change what an app synthesizes: environments, build output, and the tests
# (a test edit must not throw the cached assembly away).
_SKIPPED_DIRS = {
    ".venv",
    "venv",
    "node_modules",
    "cdk.out",
    "__pycache__",
    "__snapshots__",
    ".git",
    ".pytest_cache",
    ".stamps",
    "tests",
    "test",
}


def load_factory(spec: str, *, root: Path) -> tuple[AppFactory, Path]:
    """``"path/app.py:callable"`` or ``"module:callable"`` -> (the callable, its source file).

    A file is imported only when the factory is first called (:class:`DeferredFactory`), so a
    session whose assembly comes from the cache never imports the app (nor aws_cdk and jsii).
    """
    target, _, attribute = spec.partition(":")
    if not attribute:
        raise TemplateError(f"sfn_app {spec!r}: expected 'file.py:callable' or 'module:callable'")
    if target.endswith(".py"):
        path = (root / target).resolve()
        if not path.is_file():
            raise TemplateError(f"sfn_app {spec!r}: no file {path}")
        return DeferredFactory(spec, path, attribute), path
    module = importlib.import_module(target)
    path = Path(str(getattr(module, "__file__", "") or root))
    return _attribute(module, spec, attribute, path), path


class DeferredFactory:
    """The callable ``attribute`` of the app file ``path``, imported when first called.

    Its ``__module__`` and ``__qualname__`` are those of the callable it stands for, so synthesis
    cache entries are the same whether the file was imported or not.
    """

    def __init__(self, spec: str, path: Path, attribute: str) -> None:
        """``spec``: the ``sfn_app`` text, for messages."""
        self.spec = spec
        self.path = path
        self.__module__ = f"_constructs_sfn_app_{hashlib.sha256(str(path).encode()).hexdigest()[:12]}"
        self.__qualname__ = attribute

    def __call__(self) -> Any:
        """Import the file (once per interpreter) and call the factory."""
        module = sys.modules.get(self.__module__)
        if module is None:
            loader_spec = importlib.util.spec_from_file_location(self.__module__, self.path)
            if loader_spec is None or loader_spec.loader is None:
                raise TemplateError(f"sfn_app {self.spec!r}: cannot load {self.path}")
            module = importlib.util.module_from_spec(loader_spec)
            sys.modules[self.__module__] = module
            if str(self.path.parent) not in sys.path:
                sys.path.insert(0, str(self.path.parent))
            try:
                loader_spec.loader.exec_module(module)
            except BaseException:
                del sys.modules[self.__module__]
                raise
        return _attribute(module, self.spec, self.__qualname__, self.path)()


def _attribute(module: Any, spec: str, attribute: str, path: Path) -> AppFactory:
    factory: Any = getattr(module, attribute, None)
    if not callable(factory):
        raise TemplateError(f"sfn_app {spec!r}: {attribute!r} is not a callable of {path}")
    found: AppFactory = factory
    return found


def source_fingerprint(source: Path, name: str) -> str:
    """A hash of everything a synthesis of ``name`` from ``source``'s directory depends on."""
    digest = hashlib.sha256(name.encode())
    for package in ("aws-cdk-lib", "constructs", "constructs-sfn"):
        try:
            digest.update(f"{package}={importlib.metadata.version(package)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{package}=absent".encode())
    for file in sorted(_sources(source.parent)):
        digest.update(str(file.relative_to(source.parent)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:32]


def _sources(directory: Path) -> Iterator[Path]:
    for entry in directory.iterdir():
        if entry.is_dir():
            if entry.name not in _SKIPPED_DIRS and not entry.name.startswith("."):
                yield from _sources(entry)
        elif entry.suffix == ".py" or entry.name == "cdk.json":
            yield entry


def synthesize(built: Any) -> SynthesizedApp:
    """A ``SynthesizedApp`` from what a factory returned: an ``App``/``Stage``, a ``Stack``, or a
    ``SynthesizedApp`` (for an assembly synthesized beforehand, e.g. by ``cdk synth``)."""
    if isinstance(built, SynthesizedApp):  # e.g. SynthesizedApp.from_assembly("cdk.out")
        return built
    from aws_cdk import Stack, Stage

    if isinstance(built, Stack):
        return SynthesizedApp.from_stack(built)
    if isinstance(built, Stage):
        return SynthesizedApp.from_app(built)
    raise TemplateError(f"an app factory must return an aws_cdk App, Stage or Stack, got {type(built).__name__}")


class SynthesisCache:
    """Synthesized apps of one session, optionally persisted across sessions in ``directory``."""

    def __init__(self, directory: Path | None) -> None:
        """``directory``: where assemblies are kept across sessions. Default: - not kept."""
        self.directory = directory
        self._apps: dict[Any, SynthesizedApp] = {}
        self.hits = 0
        self.misses = 0

    def get(self, factory: AppFactory, *, source: Path | None = None) -> SynthesizedApp:
        """The app ``factory`` builds, synthesized at most once per session."""
        key = (getattr(factory, "__module__", ""), getattr(factory, "__qualname__", repr(factory)))
        if key in self._apps:
            return self._apps[key]
        app = self._from_disk(factory, source) if self.directory is not None and source is not None else None
        if app is None:
            self.misses += 1
            app = synthesize(factory())
            if self.directory is not None and source is not None:
                self._store(app, factory, source)
        else:
            self.hits += 1
        self._apps[key] = app
        return app

    def _entry(self, factory: AppFactory, source: Path) -> Path:
        assert self.directory is not None
        name = f"{getattr(factory, '__module__', '')}.{getattr(factory, '__qualname__', '')}"
        return self.directory / source_fingerprint(source, name)

    def _from_disk(self, factory: AppFactory, source: Path) -> SynthesizedApp | None:
        entry = self._entry(factory, source)
        if not (entry / "manifest.json").is_file():
            return None
        return SynthesizedApp.from_assembly(entry)

    def _store(self, app: SynthesizedApp, factory: AppFactory, source: Path) -> None:
        folder = app.directory
        if folder is None:
            return
        entry = self._entry(factory, source)
        staging = entry.with_suffix(".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(folder, staging)
        shutil.rmtree(entry, ignore_errors=True)
        staging.rename(entry)
