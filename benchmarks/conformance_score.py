"""Score the local executor against the AWS-recorded conformance corpus, outside pytest.

Usage::

    python benchmarks/conformance_score.py                 # LocalStepFunctions
    CONSTRUCTS_SFN_CONFORMANCE_CLIENT=moto python benchmarks/conformance_score.py   # harness check
    python benchmarks/conformance_score.py --files cases --failures 20

Runs the same harness as ``tests/conformance`` (same comparison rules, documented there) and
writes ``benchmarks/results/conformance.json`` (the summary plus every failing case's problems)
and ``benchmarks/results/conformance.md`` (the score table per corpus file and per tag group).
A case that crashes the client counts as failed, with the exception as its problem.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_CONFORMANCE = HERE.parent / "tests" / "conformance"
if str(_CONFORMANCE) not in sys.path:
    sys.path.insert(0, str(_CONFORMANCE))

from conformance_harness.clients import backend_unavailable_reason, make_backend  # noqa: E402
from conformance_harness.corpus import corpus_dir, corpus_missing_reason, load_cases, tag_groups  # noqa: E402
from conformance_harness.runners import (  # noqa: E402
    CaseResult,
    run_api_error_case,
    run_execution_case,
    run_service_case,
    run_test_state_case,
)
from conformance_harness.scoring import format_markdown, format_text, summarise  # noqa: E402
from known_deviations import KNOWN_DEVIATIONS  # noqa: E402

_RUNNERS = {
    "cases": ("cases.jsonl", run_execution_case),
    "service_cases": ("service_cases.jsonl", run_service_case),
    "test_state_cases": ("test_state_cases.jsonl", run_test_state_case),
    "api_error_cases": ("api_error_cases.jsonl", run_api_error_case),
}


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", default=",".join(_RUNNERS), help=f"comma-separated subset of {list(_RUNNERS)}")
    parser.add_argument("--failures", type=int, default=0, help="print the problems of this many failing cases")
    parser.add_argument("--output-dir", type=Path, default=HERE / "results")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the corpus and write the score."""
    args = _parse(argv)
    reason = corpus_missing_reason() or backend_unavailable_reason()
    if reason:
        print(f"cannot score: {reason}", file=sys.stderr)
        return 2
    backend = make_backend()
    records: list[dict[str, Any]] = []
    started = time.perf_counter()
    try:
        for label in (name.strip() for name in args.files.split(",") if name.strip()):
            file_name, runner = _RUNNERS[label]
            for case in load_cases(file_name):
                try:
                    result = runner(case, backend)
                except Exception as exc:  # a crash is a failed case, not the end of the run
                    result = CaseResult(file=label, case_id=str(case["id"]), groups=tag_groups(case.get("tags", ())))
                    result.verdict("outcome", [f"client raised {type(exc).__name__}: {exc}"[:500]])
                record = result.as_dict()
                record["known_deviation"] = result.case_id in KNOWN_DEVIATIONS
                records.append(record)
    finally:
        backend.close()
    elapsed = time.perf_counter() - started
    summary = summarise(records)
    failing = [r for r in records if not r["passed"] and not r.get("skipped")]
    payload = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "client": backend.name,
        "corpus": str(corpus_dir()),
        "seconds": round(elapsed, 2),
        "summary": summary,
        "failing": [
            {"id": r["case_id"], "file": r["file"], "known_deviation": r["known_deviation"], "problems": r["problems"]}
            for r in failing
        ],
    }
    args.output_dir.mkdir(parents=True, exist_ok=True)
    (args.output_dir / "conformance.json").write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    markdown = (
        f"# AWS conformance score ({backend.name})\n\n"
        f"Generated {payload['generated_at']} in {payload['seconds']} s from {len(records)} cases.\n\n"
        f"{format_markdown(summary)}\n"
    )
    (args.output_dir / "conformance.md").write_text(markdown, encoding="utf-8")
    print(format_text(summary))
    print(f"{len(records)} cases in {elapsed:.1f} s; {len(failing)} failing", file=sys.stderr)
    for record in failing[: args.failures]:
        print(f"\n{record['case_id']}", file=sys.stderr)
        for problem in record["problems"][:10]:
            print(f"  {problem}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
