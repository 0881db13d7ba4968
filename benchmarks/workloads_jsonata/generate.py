"""Write the JSONata twins of the shared JSONPath benchmark workloads.

Each twin has the same shape as its JSONPath workload (same states, transitions, input and
expected output) with every transformation written in JSONata (``Output``, ``Items``,
``Condition``, ``$states.errorOutput``) instead of JSONPath fields and intrinsic functions.
Run ``python benchmarks/workloads_jsonata/generate.py`` after editing; the JSON files are committed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def pass_chain_100() -> dict[str, Any]:
    """100 Pass states, each rebuilding ``counter`` from the input (JSONPath: Parameters + ResultPath)."""
    states: dict[str, Any] = {}
    for index in range(100):
        name = f"S{index:03d}"
        state: dict[str, Any] = {
            "Type": "Pass",
            "Output": (
                "{% $merge([$states.input, {'counter': {'v': $states.input.counter.v + 1, "
                f"'src': $states.input.payload.k, 'step': '{name}'}}}}]) %}}"
            ),
        }
        if index < 99:
            state["Next"] = f"S{index + 1:03d}"
        else:
            state["End"] = True
        states[name] = state
    return {
        "Comment": "JSONata twin of pass_chain_100: 100 Pass states in a chain, each a small Output transform",
        "QueryLanguage": "JSONata",
        "StartAt": "S000",
        "States": states,
    }


def choice_loop_1000() -> dict[str, Any]:
    """Counter loop: Pass increments, Choice compares with a Condition."""
    return {
        "Comment": "JSONata twin of choice_loop_1000: Pass(Output) + Choice(Condition), 1000 iterations",
        "QueryLanguage": "JSONata",
        "StartAt": "Increment",
        "States": {
            "Increment": {
                "Type": "Pass",
                "Output": "{% {'i': $states.input.i + 1, 'n': $states.input.n} %}",
                "Next": "Check",
            },
            "Check": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $states.input.i < $states.input.n %}", "Next": "Increment"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }


def _map(max_concurrency: int | None) -> dict[str, Any]:
    state: dict[str, Any] = {
        "Type": "Map",
        "Items": "{% $states.input.items %}",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "INLINE"},
            "StartAt": "A",
            "States": {
                "A": {"Type": "Pass", "Output": "{% {'x': $states.input} %}", "Next": "B"},
                "B": {
                    "Type": "Pass",
                    "Output": "{% {'x': $states.input.x, 'y': $states.input.x + 1} %}",
                    "Next": "C",
                },
                "C": {"Type": "Pass", "Output": "{% {'sum': $states.input.x + $states.input.y} %}", "End": True},
            },
        },
        "End": True,
    }
    if max_concurrency is not None:
        state["MaxConcurrency"] = max_concurrency
    return {
        "Comment": "JSONata twin of map_1000: inline Map over 1000 items, each item through 3 Pass states",
        "QueryLanguage": "JSONata",
        "StartAt": "M",
        "States": {"M": state},
    }


def parallel_10x10() -> dict[str, Any]:
    """10 branches of 10 Pass states each."""
    branches = []
    for branch in range(10):
        states: dict[str, Any] = {}
        for step in range(10):
            state: dict[str, Any] = {
                "Type": "Pass",
                "Output": f"{{% {{'v': $states.input.v + 1, 'branch': {branch}}} %}}",
            }
            if step < 9:
                state["Next"] = f"B{branch}_{step + 1}"
            else:
                state["End"] = True
            states[f"B{branch}_{step}"] = state
        branches.append({"StartAt": f"B{branch}_0", "States": states})
    return {
        "Comment": "JSONata twin of parallel_10x10: Parallel with 10 branches of 10 Pass states each",
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {"P": {"Type": "Parallel", "Branches": branches, "End": True}},
    }


def _retry_catch(retry: bool) -> dict[str, Any]:
    attempt: dict[str, Any] = {
        "Type": "Parallel",
        "Branches": [
            {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "CustomError", "Cause": "boom"}}}
        ],
        "Catch": [
            {"ErrorEquals": ["States.Timeout"], "Next": "Unreachable"},
            {
                "ErrorEquals": ["CustomError"],
                "Output": "{% $merge([$states.input, {'error': $states.errorOutput}]) %}",
                "Next": "Handle",
            },
        ],
        "Next": "Unreachable",
    }
    if retry:
        attempt["Retry"] = [
            {"ErrorEquals": ["CustomError"], "IntervalSeconds": 2, "MaxAttempts": 2, "BackoffRate": 2.0}
        ]
    name = "retry_interval_2" if retry else "retry_catch"
    return {
        "Comment": f"JSONata twin of {name}: Fail inside a Parallel branch, caught by the Parallel's Catch",
        "QueryLanguage": "JSONata",
        "StartAt": "Prep",
        "States": {
            "Prep": {
                "Type": "Pass",
                "Output": "{% {'attempt': $states.input.attempt, 'tag': 'rc'} %}",
                "Next": "Try",
            },
            "Try": attempt,
            "Unreachable": {"Type": "Fail", "Error": "ShouldNotHappen", "Cause": "catch missed"},
            "Handle": {
                "Type": "Pass",
                "Output": (
                    "{% {'handled': true, 'err': $states.input.error.Error, "
                    "'cause': $states.input.error.Cause, 'tag': $states.input.tag} %}"
                ),
                "Next": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }


def intrinsics() -> dict[str, Any]:
    """One Pass state computing the intrinsics workload's fields with JSONata functions."""
    i = "$states.input"
    output = {
        "greeting": f"{{% 'Hello, ' & {i}.name & '! You are ' & $string({i}.age) & ' years old.' %}}",
        "arr": f"{{% [{i}.name, {i}.age, 'x', 42] %}}",
        "json_str": f"{{% $string({i}.obj) %}}",
        "parsed": f"{{% $parse({i}.objStr) %}}",
        "len": f"{{% $count({i}.list) %}}",
        "hash": f"{{% $hash({i}.name, 'SHA-256') %}}",
        "b64": f"{{% $base64encode({i}.name) %}}",
        "b64dec": f"{{% $base64decode({i}.b64in) %}}",
        "uuid": "{% $uuid() %}",
        "contains": f"{{% 3 in {i}.list %}}",
        "range": "{% $range(1, 9, 2) %}",
        "part": f"{{% $partition({i}.list, 2) %}}",
        "item": f"{{% {i}.list[1] %}}",
        "uniq": f"{{% $distinct({i}.dups) %}}",
        "sum": f"{{% {i}.age + 8 %}}",
        "split": f"{{% $split({i}.csv, ',') %}}",
    }
    return {
        "Comment": "JSONata twin of intrinsics: one Pass state evaluating many JSONata functions",
        "QueryLanguage": "JSONata",
        "StartAt": "I",
        "States": {"I": {"Type": "Pass", "Output": output, "End": True}},
    }


def wait_5s() -> dict[str, Any]:
    """A 5-second Wait whose duration is a JSONata expression."""
    return {
        "Comment": "JSONata twin of wait_5s: a 5-second Wait",
        "QueryLanguage": "JSONata",
        "StartAt": "W",
        "States": {
            "W": {"Type": "Wait", "Seconds": "{% 2 + 3 %}", "Next": "Done"},
            "Done": {"Type": "Pass", "End": True},
        },
    }


TWINS = {
    "pass_chain_100": pass_chain_100,
    "choice_loop_1000": choice_loop_1000,
    "map_1000": lambda: _map(None),
    "map_1000_mc40": lambda: _map(40),
    "parallel_10x10": parallel_10x10,
    "retry_catch": lambda: _retry_catch(retry=False),
    "intrinsics": intrinsics,
    "wait_5s": wait_5s,
    "retry_interval_2": lambda: _retry_catch(retry=True),
}


def main() -> None:
    """Write every twin and the manifest that registers them next to their JSONPath workloads."""
    manifest: dict[str, Any] = {}
    for base, build in TWINS.items():
        file_name = f"{base}_jsonata.json"
        (HERE / file_name).write_text(json.dumps(build(), indent=1) + "\n", encoding="utf-8")
        manifest[f"{base}_jsonata"] = {"twin_of": base, "definition": file_name}
    (HERE / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
