"""Choice rules of JSONPath-mode Choice states: compiled once, evaluated many times.

:func:`compile_choice_rule` validates one rule of a ``Choices`` array (or a rule nested in
``And`` / ``Or`` / ``Not``) and turns it into a :class:`ChoiceRule` whose :meth:`ChoiceRule.matches`
is a chain of small pre-built closures: no dict lookups, path parsing or operator dispatch per call.

Semantics follow what AWS does (the recorded corpus and the Step Functions guide):

* A comparison whose ``Variable`` value has the wrong type is simply false (``NumericEquals``
  against ``"1"``, ``BooleanEquals`` against ``0``): booleans are never numbers, and strings that
  look like numbers or timestamps are not coerced.
* A ``Variable`` path that selects nothing fails the state with ``States.Runtime`` - except under
  ``IsPresent``, which is exactly the test for that. The same holds for the path operand of the
  ``...Path`` operators.
* Strings order like Java's ``String.compareTo`` (the guide points there), i.e. by UTF-16 code
  unit, which differs from code-point order only when both strings hold characters above U+FFFF.
* Numbers compare exactly, int against float included.
* Timestamps compare as instants, to the nanosecond; see :mod:`.timestamps` for the grammar.
* ``StringMatches``: ``*`` matches any run of characters, ``\\*`` is a literal star and ``\\\\`` a
  literal backslash; nothing else is special.
* ``And`` / ``Or`` short-circuit left to right, so a later operand's missing path only fails the
  state when that operand is reached.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from constructs_sfn.asl.errors import DefinitionError, ErrorName, StatesError
from constructs_sfn.asl.jsonpath import Path, PathNotFound, compile_reference_path
from constructs_sfn.asl.runtime.timestamps import parse_timestamp_ns

__all__ = [
    "COMPARISON_OPERATORS",
    "ChoiceRule",
    "RuleTest",
    "compile_choice_rule",
]

RuleTest = Callable[[Any, Any, Mapping[str, Any]], bool]
"""``(input, context, variables) -> bool``: the compiled body of a :class:`ChoiceRule`."""

_ValueTest = Callable[[Any], bool]
_Coerce = Callable[[Any], Any]
_Compare = Callable[[Any, Any], bool]

_ORDERINGS: Final[dict[str, _Compare]] = {
    "Equals": operator.eq,
    "LessThan": operator.lt,
    "GreaterThan": operator.gt,
    "LessThanEquals": operator.le,
    "GreaterThanEquals": operator.ge,
}

_IS_TESTS: Final = ("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp")
_BOOLEAN_OPERATORS: Final = ("And", "Or", "Not")
_COMMON_FIELDS: Final = frozenset({"Comment"})
_TOP_LEVEL_FIELDS: Final = frozenset({"Next", "Assign"})
_JSONATA_ONLY_FIELDS: Final = frozenset({"Condition", "Output"})


def _as_string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


_NUMBER_TYPES: Final = (int, float)


def _as_number(value: Any) -> int | float | None:
    cls = value.__class__
    if cls is int or cls is float:  # the exact JSON types first: the common, cheap case
        return value  # type: ignore[no-any-return]
    # bool is an int subclass in Python; in ASL true is not 1.
    if cls is bool or not isinstance(value, _NUMBER_TYPES):
        return None
    return value


def _as_boolean(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _as_instant(value: Any) -> int | None:
    return parse_timestamp_ns(value) if isinstance(value, str) else None


def _utf16(text: str) -> bytes:
    # Big-endian bytes order exactly like UTF-16 code units; surrogatepass keeps lone
    # surrogates (valid in JSON text) encodable.
    return text.encode("utf-16-be", "surrogatepass")


def _java_string_order(compare: _Compare) -> _Compare:
    """``compare`` applied in Java ``String.compareTo`` order (UTF-16 code units)."""

    def compare_strings(left: str, right: str) -> bool:
        # If either side is ASCII, the first difference involves an ASCII character, where
        # code-point and code-unit order agree; only skip the encoding cost then.
        if left.isascii() or right.isascii():
            return compare(left, right)
        return compare(_utf16(left), _utf16(right))

    return compare_strings


@dataclass(frozen=True, slots=True)
class _Family:
    """How one operator family reads its operands and compares them."""

    coerce: _Coerce
    expected: str
    orderings: Mapping[str, _Compare]


_FAMILIES: Final[dict[str, _Family]] = {
    "String": _Family(
        _as_string,
        "a string",
        {name: (cmp if name == "Equals" else _java_string_order(cmp)) for name, cmp in _ORDERINGS.items()},
    ),
    "Numeric": _Family(_as_number, "a number", _ORDERINGS),
    "Boolean": _Family(_as_boolean, "a boolean", {"Equals": operator.eq}),
    "Timestamp": _Family(_as_instant, "a valid ISO-8601 extended offset date-time format string", _ORDERINGS),
}

# operator name -> (family, ordering name) for every data-test comparison and its Path variant.
_COMPARISONS: Final[dict[str, tuple[_Family, str]]] = {
    f"{family_name}{ordering}": (family, ordering)
    for family_name, family in _FAMILIES.items()
    for ordering in family.orderings
}

COMPARISON_OPERATORS: Final[frozenset[str]] = frozenset(
    [*_COMPARISONS, *(f"{name}Path" for name in _COMPARISONS), "StringMatches", *_IS_TESTS]
)
"""Every operator that tests the value selected by ``Variable``."""

_RULE_OPERATORS: Final = frozenset([*COMPARISON_OPERATORS, *_BOOLEAN_OPERATORS])
_KNOWN_FIELDS: Final = frozenset([*_RULE_OPERATORS, "Variable", *_COMMON_FIELDS, *_TOP_LEVEL_FIELDS])


@dataclass(frozen=True, slots=True, eq=False)
class ChoiceRule:
    """A compiled JSONPath-mode Choice rule.

    ``operator`` is the rule's operator (``"And"``, ``"NumericEquals"``, ``"IsPresent"``, ...),
    ``variable`` the ``Variable`` path text of a comparison, ``operand`` the operator's raw value
    from the definition (a literal, a path text, or the nested rule(s) for ``And``/``Or``/``Not``),
    ``children`` the compiled nested rules. Top-level rules carry ``next`` (the target state) and
    ``assign`` (the raw ``Assign`` object, or None when absent); nested rules have neither.
    """

    operator: str
    location: str
    test: RuleTest = field(repr=False)
    variable: str | None = None
    operand: Any = None
    children: tuple[ChoiceRule, ...] = ()
    next: str | None = None
    assign: Any = None
    comment: str | None = None

    def matches(self, input: Any, context: Any, variables: Mapping[str, Any]) -> bool:
        """Whether the rule holds for this state input, context object and variables.

        Raises :class:`StatesError` (``States.Runtime``) when a path the rule must read selects
        nothing, as AWS does; never any other exception for JSON values.
        """
        return self.test(input, context, variables)


def _invalid_path(path: Path) -> StatesError:
    return StatesError(
        ErrorName.RUNTIME,
        f"Invalid path '{path.text}': The choice state's condition path references an invalid value.",
    )


def _problem(message: str, location: str) -> DefinitionError:
    return DefinitionError(message, location=location, code="SCHEMA_VALIDATION_FAILED")


def _compile_wildcard(pattern: str) -> _ValueTest:
    """A test for strings matching a ``StringMatches`` pattern."""
    segments: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern) and pattern[index + 1] in "*\\":
            current.append(pattern[index + 1])
            index += 2
            continue
        if char == "*":
            segments.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    segments.append("".join(current))

    if len(segments) == 1:
        literal = segments[0]
        return lambda value: isinstance(value, str) and value == literal

    head, tail = segments[0], segments[-1]
    # Empty middles come from "**" and match anything; dropping them keeps the scan linear.
    middles = tuple(segment for segment in segments[1:-1] if segment)
    min_length = len(head) + len(tail) + sum(map(len, middles))

    def matches_pattern(value: Any) -> bool:
        if not isinstance(value, str) or len(value) < min_length:
            return False
        if not value.startswith(head) or not value.endswith(tail):
            return False
        # Leftmost placement of each fixed piece is optimal for '*'-only globs.
        position, end = len(head), len(value) - len(tail)
        for middle in middles:
            found = value.find(middle, position, end)
            if found < 0:
                return False
            position = found + len(middle)
        return True

    return matches_pattern


def _value_test(name: str, operand: Any, location: str) -> _ValueTest:
    """The literal-operand test of comparison ``name`` (validated against the definition)."""
    where = f"{location}/{name}"
    if name in _IS_TESTS:
        if not isinstance(operand, bool):
            raise _problem(f"The value for the field '{name}' must be a boolean", where)
        expected = operand
        if name == "IsNull":
            return lambda value: (value is None) is expected
        if name == "IsString":
            return lambda value: isinstance(value, str) is expected
        if name == "IsBoolean":
            return lambda value: isinstance(value, bool) is expected
        if name == "IsNumeric":
            return lambda value: (_as_number(value) is not None) is expected
        return lambda value: (_as_instant(value) is not None) is expected  # IsTimestamp
    if name == "StringMatches":
        if not isinstance(operand, str):
            raise _problem(f"The value for the field '{name}' must be a string", where)
        return _compile_wildcard(operand)
    family, ordering = _COMPARISONS[name]
    literal = family.coerce(operand)
    if literal is None:
        raise _problem(f"The value for the field '{name}' must be {family.expected}", where)
    compare = family.orderings[ordering]
    if family is _FAMILIES["Numeric"]:
        # Inlined fast path for the most common rules: exact JSON number types skip _as_number.
        def numeric_test(value: Any) -> bool:
            cls = value.__class__
            if cls is int or cls is float:
                return compare(value, literal)
            return _as_number(value) is not None and compare(value, literal)

        return numeric_test
    if family is _FAMILIES["String"]:

        def string_test(value: Any) -> bool:
            return isinstance(value, str) and compare(value, literal)

        return string_test
    coerce = family.coerce

    def test(value: Any) -> bool:
        coerced = coerce(value)
        return coerced is not None and compare(coerced, literal)

    return test


def _compile_comparison(name: str, rule: Mapping[str, Any], location: str) -> RuleTest:
    if "Variable" not in rule:
        raise _problem("These fields are required: [Variable]", location)
    variable_text = rule["Variable"]
    if not isinstance(variable_text, str):
        raise _problem("The value for the field 'Variable' must be a string", f"{location}/Variable")
    variable = compile_reference_path(variable_text, location=f"{location}/Variable")
    find = variable.find
    operand = rule[name]

    if name == "IsPresent":
        if not isinstance(operand, bool):
            raise _problem("The value for the field 'IsPresent' must be a boolean", f"{location}/{name}")
        expected = operand

        def is_present(input_value: Any, context: Any, variables: Mapping[str, Any]) -> bool:
            try:
                find(input_value, context, variables)
            except PathNotFound:
                return not expected
            return expected

        return is_present

    if name.endswith("Path") and name[: -len("Path")] in _COMPARISONS:
        return _compile_path_comparison(name, variable, operand, location)

    value_test = _value_test(name, operand, location)

    def compare_literal(input_value: Any, context: Any, variables: Mapping[str, Any]) -> bool:
        try:
            value = find(input_value, context, variables)
        except PathNotFound as exc:
            raise _invalid_path(variable) from exc
        return value_test(value)

    return compare_literal


def _compile_path_comparison(name: str, variable: Path, operand: Any, location: str) -> RuleTest:
    """``<Comparison>Path``: compare the ``Variable`` value with the value at another path."""
    if not isinstance(operand, str):
        raise _problem(f"The value for the field '{name}' must be a string", f"{location}/{name}")
    other = compile_reference_path(operand, location=f"{location}/{name}")
    family, ordering = _COMPARISONS[name[: -len("Path")]]
    coerce = family.coerce
    compare = family.orderings[ordering]
    find, find_other = variable.find, other.find

    def compare_paths(input_value: Any, context: Any, variables: Mapping[str, Any]) -> bool:
        try:
            value = find(input_value, context, variables)
        except PathNotFound as exc:
            raise _invalid_path(variable) from exc
        try:
            other_value = find_other(input_value, context, variables)
        except PathNotFound as exc:
            raise _invalid_path(other) from exc
        left = coerce(value)
        if left is None:
            return False
        right = coerce(other_value)
        return right is not None and compare(left, right)

    return compare_paths


# Plain loops rather than all()/any() over a generator: this is the hot path and the generator
# costs more than the two or three tests it usually drives.
def _all_of(tests: tuple[RuleTest, ...]) -> RuleTest:
    def all_hold(input_value: Any, context: Any, variables: Mapping[str, Any]) -> bool:
        for test in tests:  # noqa: SIM110
            if not test(input_value, context, variables):
                return False
        return True

    return all_hold


def _any_of(tests: tuple[RuleTest, ...]) -> RuleTest:
    def any_holds(input_value: Any, context: Any, variables: Mapping[str, Any]) -> bool:
        for test in tests:  # noqa: SIM110
            if test(input_value, context, variables):
                return True
        return False

    return any_holds


def _negation(inner: RuleTest) -> RuleTest:
    return lambda input_value, context, variables: not inner(input_value, context, variables)


def _check_fields(rule: Mapping[str, Any], location: str, top_level: bool) -> None:
    for key in rule:
        if key in _JSONATA_ONLY_FIELDS:
            raise _problem(f"The field '{key}' is only supported when the QueryLanguage is JSONata", location)
        if key not in _KNOWN_FIELDS:
            raise _problem(f"The field '{key}' is not supported by Step Functions", location)
        if not top_level and key in _TOP_LEVEL_FIELDS:
            raise _problem(
                f"The field '{key}' is only supported in a top-level choice rule, not a nested one",
                location,
            )
    if top_level:
        target = rule.get("Next")
        if target is None:
            raise _problem("These fields are required: [Next]", location)
        if not isinstance(target, str) or not target:
            raise _problem("The value for the field 'Next' must be a non-empty string", f"{location}/Next")
    comment = rule.get("Comment")
    if comment is not None and not isinstance(comment, str):
        raise _problem("The value for the field 'Comment' must be a string", f"{location}/Comment")


def compile_choice_rule(rule: Mapping[str, Any], *, location: str, top_level: bool = True) -> ChoiceRule:
    """Validate and compile one JSONPath-mode Choice rule.

    ``location`` is the rule's JSON pointer (``/States/Check/Choices/0``); errors inside it point
    below it (``.../Choices/0/And/1/NumericEquals``). ``top_level`` rules (the elements of
    ``Choices``) require ``Next`` and may carry ``Assign``; nested rules may not.

    Raises :class:`DefinitionError` for an unknown field, zero or several operators, a missing
    or misplaced ``Variable``, an operand of the wrong type, an empty ``And``/``Or``, or a bad path.
    """
    if not isinstance(rule, Mapping):
        raise _problem("A choice rule must be a JSON object", location)
    _check_fields(rule, location, top_level)

    operators = [key for key in rule if key in _RULE_OPERATORS]
    if not operators:
        raise _problem(
            "A choice rule must have exactly one of And, Or, Not or a comparison operator (with Variable)",
            location,
        )
    if len(operators) > 1:
        listed = ", ".join(operators)
        raise _problem(f"A choice rule must have exactly one operator, found: [{listed}]", location)
    name = operators[0]
    operand = rule[name]
    children: tuple[ChoiceRule, ...] = ()
    variable: str | None = None

    if name in _BOOLEAN_OPERATORS:
        if "Variable" in rule:
            raise _problem(f"The field 'Variable' is not supported together with '{name}'", location)
        if name == "Not":
            children = (compile_choice_rule(operand, location=f"{location}/Not", top_level=False),)
            test = _negation(children[0].test)
        else:
            if not isinstance(operand, list):
                raise _problem(f"The value for the field '{name}' must be an array", f"{location}/{name}")
            if not operand:
                raise _problem("Value cannot be empty", f"{location}/{name}")
            children = tuple(
                compile_choice_rule(child, location=f"{location}/{name}/{index}", top_level=False)
                for index, child in enumerate(operand)
            )
            tests = tuple(child.test for child in children)
            test = _all_of(tests) if name == "And" else _any_of(tests)
    else:
        test = _compile_comparison(name, rule, location)
        variable = rule["Variable"]

    return ChoiceRule(
        operator=name,
        location=location,
        test=test,
        variable=variable,
        operand=operand,
        children=children,
        next=rule.get("Next") if top_level else None,
        assign=rule.get("Assign") if top_level else None,
        comment=rule.get("Comment"),
    )
