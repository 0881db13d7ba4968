"""``StateMachineLint``: the validator and the lint rules on every state machine, during ``cdk synth``.

::

    Aspects.of(app).add(StateMachineLint(), priority=AspectPriority.READONLY)

Errors fail the synthesis (``app.synth()`` raises, ``cdk synth`` exits non-zero) with one message per
finding naming the construct path and the state; warnings and infos are printed as CDK annotations
(warnings with the id ``constructs-sfn:lint:<rule>``, so ``Annotations.of(scope).acknowledge_warning``
can acknowledge one). The definition is only known at synth time: the aspect resolves the
``DefinitionString`` token of each ``CfnStateMachine`` and replaces the remaining tokens by readable
placeholders (``arn:aws:lambda:...:function:<Stack/ChargeFn>``), as the test toolkit does.
The template rules (logging, tracing, alarm, owner) need the synthesized template: run
``constructs-sfn lint cdk.out`` for those.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import Annotations, Aspects, CfnResource, IAspect, Stack, Stage
from aws_cdk import aws_s3_assets as s3_assets
from aws_cdk import aws_stepfunctions as sfn
from constructs import IConstruct, IValidation

from constructs_sfn.lint import ERROR, INFO, RULES, Finding, lint_definition
from constructs_sfn.testing.definitions import definition_of
from constructs_sfn.testing.placeholders import PlaceholderError, TokenResolver

__all__ = ["LINT_WARNING_PREFIX", "StateMachineLint"]

LINT_WARNING_PREFIX = "constructs-sfn:lint:"
"""Warnings are added with the id ``constructs-sfn:lint:<rule id>`` (``...:SFN001``)."""

_DEFINITION_RULES = tuple(r.id for r in RULES if not r.needs_template)


def _asset_definition(node: sfn.CfnStateMachine) -> str | None:
    """The text of a ``DefinitionBody.from_file`` definition: the file asset staged next to the machine."""
    location = node.definition_s3_location
    stack = Stack.of(node)
    resolved = stack.resolve(location) if location is not None else None
    key = resolved.get("key") if isinstance(resolved, dict) else None
    scope = node.node.scope
    if key is None or scope is None:
        return None
    for child in scope.node.children:
        if isinstance(child, s3_assets.Asset) and stack.resolve(child.s3_object_key) == key:
            staged = Path(child.asset_path)
            if not staged.is_absolute():
                staged = Path(Stage.of(node).outdir) / staged  # type: ignore[union-attr]
            try:
                return staged.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
    return None


@jsii.implements(IValidation)
class _LintErrors:
    """The lint errors of one state machine, reported when CDK validates the construct tree."""

    def __init__(self, messages: list[str]) -> None:
        self._messages = messages

    def validate(self) -> list[str]:
        """The error messages (CDK fails the synthesis when there are any)."""
        return list(self._messages)


def _machine_path(node: IConstruct) -> str:
    path = node.node.path
    return path.removesuffix("/Resource")


def _message(path: str, finding: Finding) -> str:
    where = f"state {finding.state!r} ({finding.pointer})" if finding.state is not None else "the machine"
    return f"{path}: {finding.rule} {finding.severity}: {where}: {finding.sentence()} Fix: {finding.fix}"


def _merged_suppressions(aspects: list[StateMachineLint], path: str) -> dict[str, dict[str, str]]:
    """The suppressions of every StateMachineLint applied above a machine, the closest one last."""
    merged: dict[str, dict[str, str]] = {}
    for aspect in aspects:
        for state, rules in aspect.suppressions_for(path).items():
            merged.setdefault(state, {}).update(rules)
    return merged


@jsii.implements(IAspect)
class StateMachineLint:
    """Runs the validator and the lint rules on every ``AWS::StepFunctions::StateMachine`` of a scope."""

    def __init__(
        self,
        *,
        suppress: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
        rules: Iterable[str] | None = None,
        fail_on_error: bool = True,
    ) -> None:
        """Lint state machines when the aspect visits them.

        :param suppress: construct path of a state machine (or of any construct above it; ``""``
            for every machine) -> ``{state name: {rule id: reason}}``; ``""`` as state name for the
            whole machine. When several StateMachineLint aspects apply to a machine (one on the app,
            one on a construct), the one closest to the machine reports, once, honouring the
            suppressions of all of them.
            Default: - only the ``lint-ignore SFNnnn: reason`` directives in state Comments suppress.
        :param rules: the rule ids to run. Default: - every rule that needs no template.
        :param fail_on_error: when False, errors are CDK error annotations (``cdk synth`` still
            fails on them, ``app.synth()`` does not). Default: - an error fails the synthesis.
        """
        self._suppress = dict(suppress or {})
        wanted = list(rules) if rules is not None else list(_DEFINITION_RULES)
        self._rules = [r for r in wanted if r.upper() in _DEFINITION_RULES]
        self._fail_on_error = fail_on_error
        self._resources: dict[str, tuple[Stack, dict[str, Any], dict[str, str]]] = {}

    def visit(self, node: IConstruct) -> None:
        """Lint ``node`` when it is a ``CfnStateMachine``; ignore every other construct."""
        if not isinstance(node, sfn.CfnStateMachine):
            return
        applied = [
            aspect
            for scope in node.node.scopes
            for aspect in Aspects.of(scope).all
            if isinstance(aspect, StateMachineLint)
        ]
        if applied and applied[-1] is not self:
            return  # the StateMachineLint closest to the machine reports, once, with every suppression
        path = _machine_path(node)
        definition = self._definition(node, path)
        if definition is None:
            return
        machine_type = Stack.of(node).resolve(node.state_machine_type)
        findings = lint_definition(
            definition,
            state_machine_type=machine_type if machine_type in ("STANDARD", "EXPRESS") else "STANDARD",
            suppress=_merged_suppressions(applied or [self], path),
            rules=self._rules,
        )
        errors: list[str] = []
        for finding in findings:
            message = _message(path, finding)
            if finding.severity == ERROR:
                errors.append(message)
                if not self._fail_on_error:
                    Annotations.of(node).add_error(message)
            elif finding.severity == INFO:
                Annotations.of(node).add_info(message)
            else:
                Annotations.of(node).add_warning_v2(f"{LINT_WARNING_PREFIX}{finding.rule}", message)
        if errors and self._fail_on_error:
            node.node.add_validation(_LintErrors(errors))

    def suppressions_for(self, path: str) -> dict[str, dict[str, str]]:
        """This aspect's ``suppress`` entries that apply to the machine at construct ``path``."""
        merged: dict[str, dict[str, str]] = {}
        for key, states in self._suppress.items():
            key = key.strip("/")
            if not key or path == key or path.startswith(key + "/"):
                for state, rules in states.items():
                    merged.setdefault(state, {}).update(rules)
        return merged

    def _definition(self, node: sfn.CfnStateMachine, path: str) -> dict[str, Any] | None:
        stack = Stack.of(node)
        properties: dict[str, Any] = {}
        if node.definition_string is not None:
            properties["DefinitionString"] = stack.resolve(node.definition_string)
        elif node.definition is not None:
            properties["Definition"] = stack.resolve(node.definition)
        else:
            text = _asset_definition(node)
            if text is None:
                Annotations.of(node).add_info(
                    f"{path}: the definition is read from an S3 object this app does not build; lint that "
                    "file itself (constructs-sfn lint FILE)."
                )
                return None
            properties["DefinitionString"] = text
        if node.definition_substitutions is not None:
            properties["DefinitionSubstitutions"] = stack.resolve(node.definition_substitutions)
        resources, paths = self._stack_resources(stack)
        resolver = TokenResolver(resources, paths=paths)
        try:
            return definition_of(properties, resolver, asset_dir=None, where=path)
        except PlaceholderError as error:
            Annotations.of(node).add_warning_v2(
                f"{LINT_WARNING_PREFIX}unresolved", f"{path}: the definition could not be linted: {error}"
            )
            return None

    def _stack_resources(self, stack: Stack) -> tuple[dict[str, Any], dict[str, str]]:
        """Logical id -> ``{"Type": ...}`` and logical id -> construct path, once per stack."""
        cached = self._resources.get(stack.node.path)
        if cached is not None and cached[0] is stack:  # the same path in another app is another stack
            return cached[1], cached[2]
        resources: dict[str, Any] = {}
        paths: dict[str, str] = {}
        for construct in stack.node.find_all():
            if isinstance(construct, CfnResource) and construct.stack is stack:
                logical_id = stack.resolve(construct.logical_id)
                resources[logical_id] = {"Type": construct.cfn_resource_type}
                paths[logical_id] = construct.node.path
        self._resources[stack.node.path] = (stack, resources, paths)
        return resources, paths
