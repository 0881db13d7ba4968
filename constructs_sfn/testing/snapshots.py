"""syrupy extensions that store state machines, executions and templates as reviewable files.

Each snapshot is one file under ``__snapshots__/<test module>/``, named from the snapshot name
(``<test name>`` or ``<test name>[<name>]`` for ``snapshot(name=...)``), so a workflow change shows
up in the pull request as a small diff of a readable file::

    from constructs_sfn.testing.snapshots import DefinitionSnapshotExtension

    def test_orders_definition(snapshot):
        assert snapshot(extension_class=DefinitionSnapshotExtension, name="orders") == definition

``pytest --snapshot-update`` writes and rewrites them, and syrupy reports snapshot files no test
uses any more, as for its own extensions. This is the only module of the package that imports
syrupy, so users who do not snapshot do not need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from constructs_sfn.testing.behaviour import BehaviourError, BehaviourTrace, behaviour_trace, render_behaviour
from constructs_sfn.testing.snapshot_normalize import SnapshotDataError, definition_json, definition_yaml, template_json

if TYPE_CHECKING:
    from syrupy.location import PyTestLocation
    from syrupy.types import PropertyFilter, PropertyMatcher, SerializableData, SerializedData, SnapshotIndex

__all__ = [
    "BehaviourSnapshotExtension",
    "DefinitionSnapshotExtension",
    "DefinitionYamlSnapshotExtension",
    "TemplateSnapshotExtension",
    "TextSnapshotExtension",
    "snapshot_extensions",
]


class TextSnapshotExtension(SingleFileSnapshotExtension):
    """One text file per snapshot, written by the subclass's ``render(data) -> str``."""

    _write_mode = WriteMode.TEXT

    @staticmethod
    def render(data: Any) -> str:
        """The snapshot text of ``data``."""
        raise NotImplementedError

    def serialize(
        self,
        data: SerializableData,
        *,
        exclude: PropertyFilter | None = None,
        include: PropertyFilter | None = None,
        matcher: PropertyMatcher | None = None,
    ) -> SerializedData:
        """syrupy's hook: the text :meth:`render` gives."""
        return self.render(data)


class DefinitionSnapshotExtension(TextSnapshotExtension):
    """A state machine definition as pretty, key-sorted JSON with asset hashes replaced.

    Accepts a definition dict, its JSON text, or a ``StateMachineUnderTest``
    (``SynthesizedApp.state_machine(...)``). File: ``<snapshot name>.json``.
    """

    file_extension = "json"

    @staticmethod
    def render(data: Any) -> str:
        """The snapshot text of ``data`` (see :func:`constructs_sfn.testing.snapshot_normalize.definition_json`)."""
        return definition_json(data)


class DefinitionYamlSnapshotExtension(TextSnapshotExtension):
    """A state machine definition as key-sorted block YAML; file ``<snapshot name>.yaml``."""

    file_extension = "yaml"

    @staticmethod
    def render(data: Any) -> str:
        """The snapshot text of ``data`` as YAML."""
        return definition_yaml(data)


def _behaviour_text(data: Any) -> str:
    if isinstance(data, BehaviourTrace):
        return render_behaviour(data)
    events = getattr(data, "events", None)
    if isinstance(events, list):  # constructs_sfn.asl.Execution
        return render_behaviour(behaviour_trace(events, status=getattr(data, "status", None)))
    if isinstance(data, dict) and isinstance(data.get("events"), list):  # get_execution_history's response
        return render_behaviour(behaviour_trace(data["events"]))
    if isinstance(data, list):
        return render_behaviour(behaviour_trace(data))
    raise SnapshotDataError(
        "behaviour snapshot: expected a BehaviourTrace, an Execution, a get_execution_history response "
        f"or a list of history events, got {type(data).__name__}"
    )


class BehaviourSnapshotExtension(TextSnapshotExtension):
    """What one execution did (see :mod:`constructs_sfn.testing.behaviour`), one file per scenario.

    Accepts a ``BehaviourTrace``, a ``constructs_sfn.asl.Execution`` or ``ScenarioRun`` (anything
    with ``events`` and ``status``), a ``get_execution_history`` response, or a list of events.
    File: ``<snapshot name>.txt``.
    """

    file_extension = "txt"

    @staticmethod
    def render(data: Any) -> str:
        """The behaviour text of ``data`` (see :func:`constructs_sfn.testing.behaviour.render_behaviour`)."""
        try:
            return _behaviour_text(data)
        except BehaviourError as error:
            raise SnapshotDataError(f"behaviour snapshot: {error}") from error


class TemplateSnapshotExtension(TextSnapshotExtension):
    """A whole synthesized template without CDK churn (asset hashes, CDKMetadata, BootstrapVersion).

    Accepts a template dict, its JSON text, a path to it, an ``aws_cdk.assertions.Template`` or
    a ``StackTemplate``.
    File: ``<snapshot name>[template].json``, so it sits next to a definition snapshot of the
    same test without clashing.
    """

    file_extension = "json"

    @classmethod
    def get_snapshot_name(cls, *, test_location: PyTestLocation, index: SnapshotIndex = 0) -> str:
        """The default snapshot name, tagged ``[template]``."""
        return f"{super().get_snapshot_name(test_location=test_location, index=index)}[template]"

    @staticmethod
    def render(data: Any) -> str:
        """The snapshot text of ``data`` (see :func:`constructs_sfn.testing.snapshot_normalize.template_json`)."""
        return template_json(data)


def snapshot_extensions() -> dict[str, type[SingleFileSnapshotExtension]]:
    """The extension class for each snapshot fixture, by fixture name.

    ``definition_snapshot``, ``definition_yaml_snapshot``, ``behaviour_snapshot`` and
    ``template_snapshot``; a fixture is ``snapshot.use_extension(cls)`` on syrupy's ``snapshot``.
    """
    return {
        "definition_snapshot": DefinitionSnapshotExtension,
        "definition_yaml_snapshot": DefinitionYamlSnapshotExtension,
        "behaviour_snapshot": BehaviourSnapshotExtension,
        "template_snapshot": TemplateSnapshotExtension,
    }
