"""Benchmark: a Distributed Map over a CSV of N rows in S3 (moto on loopback), rehearsed locally.

Usage::

    python benchmarks/distributed_map.py                      # 100k and 1M rows
    python benchmarks/distributed_map.py --rows 10000         # a quick look

The job: ``ItemReader`` ``s3:getObject`` of a CSV (header in the first row), ``ItemBatcher`` of 100
items, EXPRESS child executions of two states each, ``ResultWriter`` to S3 (``Transformation``
NONE, AWS's default when exporting). A moto server runs in its own process on 127.0.0.1, so the
figures are those of the executor's process only. Each size runs in a fresh worker process,
whose peak RSS (``VmHWM``) is reported; the orchestrator then reads the written results back
from S3 and checks that every row was counted exactly once.

Writes ``benchmarks/results/distributed_map.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BATCH = 100
DEFINITION = {
    "Comment": "Price a CSV of rows in batches of 100",
    "StartAt": "PriceRows",
    "States": {
        "PriceRows": {
            "Type": "Map",
            "ItemReader": {
                "Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                "Parameters": {"Bucket.$": "$.bucket", "Key": "in/rows.csv"},
            },
            "ItemBatcher": {"MaxItemsPerBatch": BATCH},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "Count",
                "States": {
                    "Count": {
                        "Type": "Pass",
                        "Parameters": {"first.$": "$.Items[0].id", "rows.$": "States.ArrayLength($.Items)"},
                        "Next": "Done",
                    },
                    "Done": {"Type": "Pass", "End": True},
                },
            },
            "MaxConcurrency": 1000,
            "ResultWriter": {
                "Resource": "arn:aws:states:::s3:putObject",
                "Parameters": {"Bucket.$": "$.bucket", "Prefix": "results"},
            },
            "End": True,
        }
    },
}


def _session() -> Any:
    import boto3

    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_moto() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, endpoint
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the moto server did not start within 30 s")


def _upload_csv(s3: Any, bucket: str, rows: int) -> int:
    """Upload ``rows`` rows (plus the header) as a multipart object; returns its size in bytes."""
    upload = s3.create_multipart_upload(Bucket=bucket, Key="in/rows.csv")
    parts, size, number, chunk = [], 0, 1, ["id,name,qty\n"]
    for i in range(rows):
        chunk.append(f"{i},item-{i},{i % 97}\n")
        if len(chunk) >= 400_000 or i == rows - 1:
            body = "".join(chunk).encode()
            size += len(body)
            answer = s3.upload_part(
                Bucket=bucket, Key="in/rows.csv", UploadId=upload["UploadId"], PartNumber=number, Body=body
            )
            parts.append({"ETag": answer["ETag"], "PartNumber": number})
            number, chunk = number + 1, []
    s3.complete_multipart_upload(
        Bucket=bucket, Key="in/rows.csv", UploadId=upload["UploadId"], MultipartUpload={"Parts": parts}
    )
    return size


def _peak_rss_kib() -> int:
    """This process's peak resident set (VmHWM). ``ru_maxrss`` is not used: on Linux it keeps the
    peak of the process that forked this one across ``exec``, so it would report the orchestrator's."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _worker(endpoint: str, bucket: str) -> dict[str, Any]:
    """Run the job once in this process; returns its figures."""
    sys.path.insert(0, str(REPO))
    from constructs_sfn.integrations import Boto3Integrations
    from constructs_sfn.local import LocalStepFunctions

    sfn = LocalStepFunctions(services=Boto3Integrations(session=_session(), endpoint_url=endpoint))
    machine = sfn.create_state_machine(
        name="PriceRows", definition=json.dumps(DEFINITION), roleArn="arn:aws:iam::123456789012:role/Job"
    )["stateMachineArn"]
    before = _peak_rss_kib()
    started = time.perf_counter()
    execution = sfn.start_execution(stateMachineArn=machine, input=json.dumps({"bucket": bucket}))["executionArn"]
    wall = time.perf_counter() - started
    described = sfn.describe_execution(executionArn=execution)
    [listed] = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    counts = sfn.describe_map_run(mapRunArn=listed["mapRunArn"])
    return {
        "status": described["status"],
        "error": described.get("error"),
        "cause": described.get("cause"),
        "output": json.loads(described.get("output") or "null"),
        "wall_seconds": wall,
        "rss_before_kib": before,
        "peak_rss_kib": _peak_rss_kib(),
        "items": counts["itemCounts"],
        "executions": counts["executionCounts"],
    }


def _check_results(s3: Any, output: dict[str, Any], rows: int) -> str:
    """Read the written results back: every row counted once, in SUCCEEDED files only."""
    details = output["ResultWriterDetails"]
    manifest = json.loads(s3.get_object(Bucket=details["Bucket"], Key=details["Key"])["Body"].read())
    counted, entries = 0, 0
    for file in manifest["ResultFiles"]["SUCCEEDED"]:
        for entry in json.loads(s3.get_object(Bucket=details["Bucket"], Key=file["Key"])["Body"].read()):
            counted += json.loads(entry["Output"])["rows"]
            entries += 1
    failed = len(manifest["ResultFiles"]["FAILED"])
    if counted != rows or failed:
        return f"MISMATCH: {counted} rows counted in {entries} entries, {failed} FAILED files"
    size = sum(f["Size"] for f in manifest["ResultFiles"]["SUCCEEDED"])
    return f"ok: {entries} child results, {counted} rows, {size / 2**20:.1f} MiB written"


def _measure(endpoint: str, rows: int) -> dict[str, Any]:
    s3 = _session().client("s3", endpoint_url=endpoint)
    bucket = f"bench-{rows}"
    s3.create_bucket(Bucket=bucket)
    csv_bytes = _upload_csv(s3, bucket, rows)
    worker = subprocess.run(
        [sys.executable, __file__, "--worker", "--endpoint", endpoint, "--bucket", bucket],
        capture_output=True,
        text=True,
        check=False,
    )
    if worker.returncode != 0:
        raise RuntimeError(f"the worker failed:\n{worker.stderr}")
    figures: dict[str, Any] = json.loads(worker.stdout.strip().splitlines()[-1])
    figures["rows"] = rows
    figures["load_average"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    figures["csv_mib"] = csv_bytes / 2**20
    figures["check"] = (
        _check_results(s3, figures["output"], rows)
        if figures["status"] == "SUCCEEDED"
        else f"{figures['error']}: {figures['cause']}"
    )
    return figures


def _markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "# Distributed Map benchmark",
        "",
        (
            f"Recorded {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} by `python benchmarks/distributed_map.py` "
            f"on {platform.machine()} / {os.cpu_count()} cores / Python {platform.python_version()}, a shared machine."
        ),
        "",
        "A CSV of N rows in S3 (moto server on 127.0.0.1, its own process), `ItemBatcher` of 100 items, EXPRESS",
        "child executions of two Pass states, `ResultWriter` to S3 (Transformation NONE). One worker process per",
        "size; peak RSS is that process's `VmHWM`. The children run one after another in that process.",
        "The machine is shared: the load average (1 min, when the size started) shows how busy it was, and the",
        "wall time moves with it (at a load near 4 the million rows took about 16 s).",
        "",
        "| rows | CSV | status | wall time | items/s | child executions | peak RSS | RSS before the run | load avg | results |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        rate = r["rows"] / r["wall_seconds"] if r["wall_seconds"] else 0.0
        lines.append(
            f"| {r['rows']:,} | {r['csv_mib']:.1f} MiB | {r['status']} | {r['wall_seconds']:.1f} s | {rate:,.0f} | "
            f"{r['executions']['total']:,} | {r['peak_rss_kib'] / 1024:.0f} MiB | {r['rss_before_kib'] / 1024:.0f} MiB | "
            f"{r['load_average']:.1f} | {r['check']} |"
        )
    if len(results) >= 2:
        small, large = results[0], results[-1]
        growth = (large["peak_rss_kib"] - small["peak_rss_kib"]) * 100.0 / small["peak_rss_kib"]
        rate = large["rows"] / large["wall_seconds"]
        lines += [
            "",
            (
                f"Peak RSS at {large['rows']:,} rows is {growth:+.1f}% of the figure at {small['rows']:,} rows "
                f"(target: under 500 MiB and within 15%); throughput at {large['rows']:,} rows is {rate:,.0f} items/s "
                "(target: at least 20,000)."
            ),
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Orchestrate (default) or run one job (``--worker``)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="100000,1000000", help="comma-separated row counts")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "distributed_map.md")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    parser.add_argument("--bucket", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(args.endpoint, args.bucket)))
        return 0
    moto, endpoint = _start_moto()
    try:
        results = []
        for rows in (int(text) for text in args.rows.split(",") if text.strip()):
            figures = _measure(endpoint, rows)
            print(
                f"{rows:>9,} rows: {figures['status']} in {figures['wall_seconds']:.1f} s, "
                f"peak RSS {figures['peak_rss_kib'] / 1024:.0f} MiB; {figures['check']}",
                flush=True,
            )
            results.append(figures)
    finally:
        moto.terminate()
        moto.wait(timeout=10)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(_markdown(results), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
