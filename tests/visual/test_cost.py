"""The cost estimate, checked against the pricing rules and figures AWS publishes.

https://aws.amazon.com/step-functions/pricing/ : STANDARD is $0.025 per 1,000 state transitions,
"each retry will be charged as an additional state transition", 4,000 free transitions a month;
EXPRESS is $1.00 per million requests plus duration "rounded up to the nearest 100ms" times memory
"billed in 64-MB chunks", at $0.00001667 per GB-second for the first 1,000 GB-hours a month.
"""

from __future__ import annotations

import pytest

from constructs_sfn.visual import PriceError, Prices, RunUsage, estimate_cost, load_prices, run_overlay, run_usage

from .shop import shop_definition, shop_run


def usage(transitions: int = 3, seconds: float = 0.0, memory: int = 1000) -> RunUsage:
    return RunUsage(transitions, seconds, memory)


def test_standard_is_transitions_times_price() -> None:
    estimate = estimate_cost([usage(transitions=3)])
    # The pricing example: 3 transitions x 1,000 executions x $0.000025 = $0.075 before the free tier.
    assert estimate.standard_per_execution * 1000 == pytest.approx(0.075)
    assert estimate.standard_monthly(1000) == 0.0  # 3,000 transitions are within the free 4,000
    assert estimate.standard_monthly(2000) == pytest.approx((6000 - 4000) * 0.000025)


def test_express_rounds_duration_up_to_100_ms_and_memory_to_64_mb() -> None:
    estimate = estimate_cost([usage(seconds=11.3)])
    # 11,300 ms at 64 MB: 113 x 100 ms x 0.0625 GB x $0.00001667 + $0.000001 per request.
    assert estimate.billed_seconds == pytest.approx(11.3)
    assert estimate.memory_mb == 64
    assert estimate.express_per_execution == pytest.approx(0.000001 + 11.3 * 0.0625 * 0.00001667)
    assert estimate_cost([usage(seconds=0.01)]).billed_seconds == pytest.approx(0.1)
    assert estimate_cost([usage(seconds=0.2000001)]).billed_seconds == pytest.approx(0.3)
    assert estimate_cost([usage(memory=65 * 1024 * 1024)]).memory_mb == 128


def test_duration_tiers_apply_per_month() -> None:
    prices = Prices()
    first = 3_600_000 * 0.00001667
    assert prices.express_duration_cost(3_600_000) == pytest.approx(first)
    assert prices.express_duration_cost(3_600_001) == pytest.approx(first + 0.00000833)
    beyond = 3_600_000 * 0.00001667 + 14_400_000 * 0.00000833 + 1000 * 0.00000456
    assert prices.express_duration_cost(18_001_000) == pytest.approx(beyond)


def test_break_even_and_cheaper_at() -> None:
    estimate = estimate_cost([usage(transitions=10, seconds=0.1)])
    point = estimate.break_even()
    assert point is not None
    # STANDARD is free below 400 executions (4,000 free transitions), then costs far more per run.
    assert 400 < point < 500
    # The smallest volume at which EXPRESS is cheaper: one execution fewer, it is not.
    assert estimate.cheaper_at(point) == "EXPRESS"
    assert estimate.cheaper_at(point - 1) == "STANDARD"


def test_no_break_even_when_standard_stays_cheaper() -> None:
    # One transition ($0.000025) against a 5-minute, 64 MB Express run (~$0.0003).
    estimate = estimate_cost([usage(transitions=1, seconds=300)])
    assert estimate.break_even() is None
    assert estimate.cheaper_at(10_000_000) == "STANDARD"
    assert "STANDARD is cheaper at every monthly volume" in estimate.summary()


def test_several_runs_average_and_blockers_are_kept() -> None:
    runs = [
        usage(transitions=4, seconds=1),
        RunUsage(8, 399, 10, ("uses .sync (not supported by Express workflows)",)),
    ]
    estimate = estimate_cost(runs)
    assert (estimate.runs, estimate.transitions, estimate.seconds) == (2, 6, 200)
    assert estimate.express_blockers == (
        "uses .sync (not supported by Express workflows)",
        "ran 399 s (Express executions stop after 300 s)",
    )
    longer = load_prices({"express_max_seconds": 400})
    assert estimate_cost(runs, longer).express_blockers == ("uses .sync (not supported by Express workflows)",)
    assert any("Express is not an option" in line for line in estimate.summary())


def test_usage_from_a_run_counts_retries_as_transitions() -> None:
    definition = shop_definition()
    overlay = run_overlay(shop_run({"total": 5, "items": ["a"]}, busy_times=2), definition)
    measured = run_usage(overlay, definition)
    # Validate, Charge (+2 retries), Pack, PackItem, Done.
    assert measured.transitions == 7
    assert measured.seconds == 2.0
    assert run_usage(overlay, definition, seconds=9.5).seconds == 9.5


def test_callback_tasks_rule_express_out() -> None:
    import json

    from constructs_sfn.asl import parse_definition

    text = json.dumps(
        {
            "StartAt": "Wait",
            "States": {
                "Wait": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}},
                    "End": True,
                }
            },
        }
    )
    definition = parse_definition(text)
    overlay = run_overlay([{"id": 1, "type": "ExecutionStarted"}], definition)
    assert run_usage(overlay, definition).express_blockers == (
        "uses .waitForTaskToken (not supported by Express workflows)",
    )


def test_price_overrides() -> None:
    prices = load_prices(
        {"region": "eu-west-1", "standard_per_transition": 0.00003, "express_gb_second_tiers": [[None, 1e-5]]}
    )
    assert (prices.region, prices.standard_per_transition) == ("eu-west-1", 0.00003)
    assert prices.express_gb_second_tiers == ((None, 1e-5),)
    assert load_prices({"express_gb_second_tiers": [[10, 2.0]]}).express_duration_cost(11) == pytest.approx(22.0)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "prices: expected a JSON object"),
        ({"standard_price": 1}, "prices: /standard_price: unknown price field; expected one of"),
        ({"express_per_request": -1}, "prices: /express_per_request: expected a number of at least 0, got -1"),
        ({"express_per_request": "1"}, "expected a number of at least 0, got '1'"),
        ({"standard_free_transitions_per_month": 1.5}, "expected a whole number, got 1.5"),
        ({"express_billing_increment_ms": 0}, "/express_billing_increment_ms: expected a whole number of at least 1"),
        ({"express_gb_second_tiers": [[None, 1], [5, 1]]}, "/express_gb_second_tiers/0/0: only the last tier"),
        ({"express_gb_second_tiers": [5]}, "/express_gb_second_tiers/0: expected [GB-seconds or null"),
        ({"region": 5}, "/region: expected text"),
    ],
)
def test_bad_price_overrides_name_the_field(document: object, message: str) -> None:
    with pytest.raises(PriceError, match=message.replace("[", r"\[").replace("(", r"\(")):
        load_prices(document)
