"""Step Functions ARNs: building them, and reading the ones callers pass, as AWS reads them.

Forms (``<p>:<r>:<a>`` = partition, region, account)::

    arn:<p>:states:<r>:<a>:stateMachine:<name>[:<version or alias>]
    arn:<p>:states:<r>:<a>:execution:<state machine name>:<execution name>
    arn:<p>:states:<r>:<a>:express:<state machine name>:<execution name>:<uuid>
    arn:<p>:states:<r>:<a>:activity:<name>

AWS rejects a malformed ARN with ``InvalidArn`` before looking anything up; an ARN of the right
kind that names nothing (another region, account or name) is simply not found.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ArnScope",
    "ParsedArn",
    "ResourceKind",
    "invalid_arn_message",
    "parse_arn",
]


class ResourceKind:
    """The resource-type segment of a Step Functions ARN."""

    STATE_MACHINE = "stateMachine"
    EXECUTION = "execution"
    EXPRESS = "express"
    ACTIVITY = "activity"


@dataclass(frozen=True, slots=True)
class ArnScope:
    """Partition, region and account: where the local client's resources live."""

    partition: str
    region: str
    account_id: str

    def _prefix(self, kind: str) -> str:
        return f"arn:{self.partition}:states:{self.region}:{self.account_id}:{kind}:"

    def state_machine(self, name: str) -> str:
        """The ARN of the state machine ``name``."""
        return self._prefix(ResourceKind.STATE_MACHINE) + name

    def execution(self, state_machine_name: str, name: str) -> str:
        """The ARN of a STANDARD execution."""
        return self._prefix(ResourceKind.EXECUTION) + f"{state_machine_name}:{name}"

    def express_execution(self, state_machine_name: str, name: str, run_id: str) -> str:
        """The ARN of an EXPRESS execution (AWS appends a UUID so names can repeat)."""
        return self._prefix(ResourceKind.EXPRESS) + f"{state_machine_name}:{name}:{run_id}"

    def activity(self, name: str) -> str:
        """The ARN of the activity ``name``."""
        return self._prefix(ResourceKind.ACTIVITY) + name


@dataclass(frozen=True, slots=True)
class ParsedArn:
    """A syntactically valid Step Functions ARN, split into its parts."""

    arn: str
    partition: str
    region: str
    account_id: str
    kind: str
    names: tuple[str, ...]
    """The segments after the resource type (``("sm", "1")`` for a version ARN)."""

    @property
    def base_state_machine_arn(self) -> str:
        """For a (qualified) state machine ARN: the unqualified ARN."""
        return (
            f"arn:{self.partition}:states:{self.region}:{self.account_id}:{ResourceKind.STATE_MACHINE}:{self.names[0]}"
        )

    @property
    def qualifier(self) -> str | None:
        """For a state machine ARN: the version number or alias name, if any."""
        return self.names[1] if self.kind == ResourceKind.STATE_MACHINE and len(self.names) > 1 else None

    @property
    def map_state_label(self) -> str | None:
        """For ``stateMachine:<name>/<label>`` (a Distributed Map state of the machine): the label."""
        if self.kind != ResourceKind.STATE_MACHINE or "/" not in self.names[0]:
            return None
        return self.names[0].partition("/")[2]


# How many name segments each resource type takes (minimum, maximum).
_SEGMENTS = {
    ResourceKind.STATE_MACHINE: (1, 2),
    ResourceKind.EXECUTION: (2, 2),
    ResourceKind.EXPRESS: (3, 3),
    ResourceKind.ACTIVITY: (1, 1),
}


def invalid_arn_message(detail: str) -> str:
    """AWS's ``InvalidArn`` message around ``detail``."""
    return f"Invalid Arn: '{detail}'"


def parse_arn(arn: str, *, allowed: tuple[str, ...]) -> ParsedArn | str:
    """Parse ``arn`` expecting one of the ``allowed`` resource kinds.

    Returns the parsed ARN, or AWS's ``InvalidArn`` message when AWS would reject it.
    """
    if not arn.startswith("arn:"):
        return invalid_arn_message(f"Invalid ARN prefix: {arn}")
    parts = arn.split(":")
    if len(parts) < 7 or parts[2] != "states" or not all(parts[1:3]):
        return invalid_arn_message(arn)
    kind = parts[5]
    if kind not in allowed:
        return invalid_arn_message(f"Resource type not valid in this context: {kind}")
    names = tuple(parts[6:])
    fewest, most = _SEGMENTS.get(kind, (1, 1))
    if not fewest <= len(names) <= most or not all(names):
        return invalid_arn_message(arn)
    return ParsedArn(
        arn=arn,
        partition=parts[1],
        region=parts[3],
        account_id=parts[4],
        kind=kind,
        names=names,
    )
