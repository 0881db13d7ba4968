"""The reference engine's wording of jsonata-python's errors, and AWS's sentences."""

from __future__ import annotations

from jsonata.jexception import JException

from constructs_sfn.asl.jsonata.messages import (
    compile_error_text,
    error_during_evaluation,
    evaluation_error_text,
    internal_error,
    jsonata_error_text,
    returned_nothing,
    unexpected_type,
    unsupported_result,
)


def test_inserts_are_named_and_json_rendered() -> None:
    assert jsonata_error_text(JException("T0410", -1, 2, "substring")) == (
        'T0410: Argument 2 of function "substring" does not match function signature'
    )
    assert jsonata_error_text(JException("T0412", -1, 1, "sum", "n")) == (
        'T0412: Argument 1 of function "sum" must be an array of "numbers"'
    )
    assert jsonata_error_text(JException("D3060", -1, -1)) == (
        "D3060: The sqrt function cannot be applied to a negative number: -1"
    )
    assert jsonata_error_text(JException("T1005", -1, "uppercase")) == (
        "T1005: Attempted to invoke a non-function. Did you mean $uppercase?"
    )


def test_a_missing_insert_reads_undefined_as_in_javascript() -> None:
    assert jsonata_error_text(JException("S0102", 3)) == "S0102: Number out of range: undefined"


def test_compile_error_text_drops_the_code() -> None:
    assert compile_error_text(JException("S0202", 5, "]", ",")) == 'Expected "]", got ","'


def test_uncoded_library_messages_get_their_reference_codes() -> None:
    detail, coded = evaluation_error_text(
        JException("Second argument of replace function cannot be an empty string", 0)
    )
    assert (detail, coded) == ("D3010: Second argument of replace function cannot be an empty string", True)
    assert evaluation_error_text(JException("something odd", 0)) == ("something odd", False)


def test_aws_sentences() -> None:
    assert returned_nothing("$x", "Output/v") == (
        "The JSONata expression '$x' specified for the field 'Output/v' returned nothing (undefined)."
    )
    assert unsupported_result("$f", "Items") == (
        "The JSONata expression '$f' specified for the field 'Items' returned an unsupported result type."
    )
    assert unexpected_type("1", "Items", "array", "number", "1") == (
        "The JSONata expression '1' specified for the field 'Items' returned an unexpected result type. "
        "Expected 'array', but was 'number' for value: 1"
    )
    assert error_during_evaluation("e", "F", "T1006: x", coded=True).endswith("during evaluation. T1006: x")
    assert error_during_evaluation("e", "F", "bound", coded=False).endswith("during evaluation: bound")
    assert internal_error("e", "F").endswith("threw an internal error during evaluation.")
