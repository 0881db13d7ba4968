"""What a lint rule is and what it reports: :class:`Rule`, :class:`Hit` and :class:`Finding`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from constructs_sfn.lint.context import LintContext

__all__ = ["ERROR", "INFO", "SEVERITIES", "WARNING", "Finding", "Hit", "Rule", "Severity"]

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
"""Every severity, most severe first."""


class Severity:
    """The severities a finding can have (the strings the JSON output uses)."""

    ERROR = ERROR
    """The definition will fail, hang or lose data: fails ``lint`` (exit 1) and ``cdk synth``."""
    WARNING = WARNING
    """A known source of incidents; printed, never fails."""
    INFO = INFO
    """Advice."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: which rule, how bad, where (JSON pointer and state name), what and how to fix it."""

    rule: str
    severity: str
    message: str
    fix: str
    pointer: str = ""
    """JSON pointer into the definition (``/States/Charge/Retry/0``); ``""`` for the whole machine."""
    state: str | None = None
    """The state's name; ``None`` for a finding about the whole machine."""
    file: str | None = None
    """The file, or ``file#construct/path`` for a machine of a template or cloud assembly."""

    def with_file(self, file: str | None) -> Finding:
        """This finding, located in ``file``."""
        return replace(self, file=file)

    def as_json(self) -> dict[str, Any]:
        """The object ``lint --format json`` prints for this finding."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "file": self.file,
            "state": self.state,
            "pointer": self.pointer,
            "message": self.message,
            "fix": self.fix,
        }

    def render(self) -> str:
        """One line for people: ``file: pointer (state): severity RULE: message. Fix: ...``."""
        where = self.pointer or "/"
        if self.state is not None:
            where += f" (state {self.state!r})"
        prefix = f"{self.file}: " if self.file else ""
        return f"{prefix}{where}: {self.severity} {self.rule}: {self.sentence()} Fix: {self.fix}"

    def sentence(self) -> str:
        """The message ending with a full stop (AWS's validation messages have none)."""
        return self.message if self.message.endswith((".", "!", "?")) else f"{self.message}."


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule's check yields; the engine completes it into a :class:`Finding`."""

    pointer: str
    state: str | None
    message: str
    fix: str | None = None
    """Overrides the rule's general fix with advice for this case."""
    severity: str | None = None
    """Overrides the rule's severity for this case."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A lint rule: an id (``SFN001``), a severity, what it looks for, how to fix it, and its check."""

    id: str
    severity: str
    title: str
    """What the rule looks for, in one sentence (the rules table of ``docs/lint.md``)."""
    fix: str
    check: Callable[[LintContext], Iterator[Hit]]
    needs_template: bool = False
    """True for rules about a synthesized template (logging, tracing, alarms, owner)."""
    validator_codes: tuple[str, ...] = ()
    """Diagnostic codes of the validator that already report this problem at the same pointer."""

    def finding(self, hit: Hit) -> Finding:
        """The finding for one of this rule's hits."""
        return Finding(
            rule=self.id,
            severity=hit.severity or self.severity,
            message=hit.message,
            fix=hit.fix or self.fix,
            pointer=hit.pointer,
            state=hit.state,
        )
