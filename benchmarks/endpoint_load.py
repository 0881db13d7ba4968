"""Load test of the local endpoint (``constructs-sfn serve``) beside a moto server, same run, same load.

Usage::

    python benchmarks/endpoint_load.py                  # 16 clients, 20 s per server
    python benchmarks/endpoint_load.py --clients 32 --seconds 30
    python benchmarks/endpoint_load.py --quick          # 8 clients, 5 s per server

Each server runs in its own process on loopback: ours as ``constructs-sfn serve --port 0``, moto as
``moto_server`` (moto implements Step Functions too; by default it records executions without
running their definitions). The load comes from ``--processes`` worker processes with
``--clients`` threads in all, each thread with its own boto3 client (real HTTP, connection
pooling, request signing, response parsing, as any user's script). Every thread repeats
``StartExecution`` (a unique name) then ``DescribeExecution`` of that execution for a bounded
time. Afterwards ``ListExecutions`` (paginated) must list every execution a client was told was
started: "lost" counts those it does not list. Errors are every exception a call raised.

The two servers are measured one after the other, on the same machine, with the same clients,
state machine and duration. Results: ``benchmarks/results/endpoint_load.md`` (and ``.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import select
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
BIN = Path(sys.executable).parent
ROLE = "arn:aws:iam::123456789012:role/LoadTestRole"
DEFINITION = json.dumps(
    {
        "StartAt": "Prepare",
        "States": {
            "Prepare": {"Type": "Pass", "Result": {"ok": True}, "ResultPath": "$.prepared", "Next": "Done"},
            "Done": {"Type": "Succeed"},
        },
    }
)


def isolated_env() -> dict[str, str]:
    """Dummy credentials and no AWS configuration: nothing can reach real AWS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SFN_")) and not k.endswith("_ENDPOINT")}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
    )
    return env


def client(url: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "stepfunctions",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=4),
    )


# -- servers -------------------------------------------------------------------------------------
def start_ours() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            str(BIN / "constructs-sfn"),
            "serve",
            "--port",
            "0",
            "--max-executions",
            "0",
        ],  # every execution kept: a missing one is lost
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=isolated_env(),
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 60)
    line = process.stdout.readline() if ready else ""
    if "listening on " not in line:
        process.kill()
        raise SystemExit(f"constructs-sfn serve did not start: {line!r}")
    return process, line.split("listening on ", 1)[1].split(" ", 1)[0]


def start_moto() -> tuple[subprocess.Popen[str], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        env=isolated_env(),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            client(url).list_state_machines()
            return process, url
        except Exception:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("moto_server did not start")


def rss_mib(pid: int) -> float | None:
    """Resident memory of process ``pid`` in MiB (Linux ``/proc``), None where unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


# -- load ----------------------------------------------------------------------------------------
def worker_process(url: str, arn: str, threads: int, start_at: float, seconds: float, tag: str) -> dict[str, Any]:
    """Run ``threads`` clients from ``start_at`` for ``seconds``; counts, latencies, started ARNs."""
    lock = threading.Lock()
    started: list[str] = []
    latencies: list[float] = []
    errors: list[str] = []
    requests = [0]

    def run(index: int) -> None:
        sfn = client(url)
        sfn.list_state_machines()  # connect and warm the client before the clock starts
        mine: list[str] = []
        own_latencies: list[float] = []
        own_errors: list[str] = []
        count = 0
        time.sleep(max(0.0, start_at - time.time()))
        end = start_at + seconds
        sequence = 0
        while time.time() < end:
            sequence += 1
            try:
                t0 = time.perf_counter()
                execution = sfn.start_execution(stateMachineArn=arn, name=f"{tag}-{index}-{sequence}")["executionArn"]
                t1 = time.perf_counter()
                mine.append(execution)
                sfn.describe_execution(executionArn=execution)
                t2 = time.perf_counter()
                own_latencies += [t1 - t0, t2 - t1]
                count += 2
            except Exception as error:
                own_errors.append(f"{type(error).__name__}: {error}")
        with lock:
            started.extend(mine)
            latencies.extend(own_latencies)
            errors.extend(own_errors)
            requests[0] += count

    pool = [threading.Thread(target=run, args=(index,)) for index in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return {"started": started, "latencies": latencies, "errors": errors, "requests": requests[0]}


def _worker_entry(args: tuple[str, str, int, float, float, str]) -> dict[str, Any]:
    return worker_process(*args)


def measure(name: str, url: str, *, clients: int, processes: int, seconds: float) -> dict[str, Any]:
    sfn = client(url)
    arn = sfn.create_state_machine(name="load-test", definition=DEFINITION, roleArn=ROLE)["stateMachineArn"]
    share = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    start_at = time.time() + 3.0  # every worker process imported boto3 and connected by then
    jobs = [(url, arn, n, start_at, seconds, f"p{i}") for i, n in enumerate(share) if n]
    with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
        parts = pool.map(_worker_entry, jobs)
    started = [arn for part in parts for arn in part["started"]]
    latencies = sorted(x for part in parts for x in part["latencies"])
    errors = [e for part in parts for e in part["errors"]]
    requests = sum(part["requests"] for part in parts)
    listed: set[str] = set()
    for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=arn, PaginationConfig={"PageSize": 1000}):
        listed.update(item["executionArn"] for item in page["executions"])
    lost = len(set(started) - listed)
    return {
        "server": name,
        "seconds": seconds,
        "clients": clients,
        "processes": len(jobs),
        "requests": requests,
        "requests_per_second": requests / seconds,
        "executions_started": len(started),
        "executions_listed": len(listed),
        "lost": lost,
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "latency_ms_p50": 1000 * statistics.median(latencies) if latencies else None,
        "latency_ms_p95": 1000 * latencies[int(0.95 * (len(latencies) - 1))] if latencies else None,
    }


def report(results: list[dict[str, Any]], args: argparse.Namespace, command: str) -> str:
    ours, moto = results
    ratio = ours["requests_per_second"] / moto["requests_per_second"] if moto["requests_per_second"] else float("inf")
    lines = [
        "# Benchmark: the local endpoint under load, beside a moto server",
        "",
        (
            f"Generated {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')} on Python "
            f"{platform.python_version()} ({platform.platform()}, {os.cpu_count()} CPUs). Command: `{command}`."
        ),
        "",
        f"{args.clients} concurrent boto3 clients (threads, own client each) in {ours['processes']} worker processes,",
        f"{args.seconds:g} s per server, each client repeating StartExecution + DescribeExecution on a",
        "two-state Pass/Succeed machine. Both servers run in their own process on loopback, one after the",
        "other: ours is `constructs-sfn serve`, moto is `moto_server` (which records executions without",
        "running their definitions). Lost = executions a client was told were started that ListExecutions",
        "did not list afterwards. Server RSS is the server process's resident memory at the end (moto_server",
        "is a Flask app; ours holds every execution with its history). Load generators and servers share",
        "the machine's CPUs, which other work may use too: compare the two rows, not runs on different days.",
        "",
        "| server | requests | requests/s | p50 ms | p95 ms | started | listed | lost | errors | server RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines.extend(
        f"| {row['server']} | {row['requests']} | {row['requests_per_second']:.0f} | "
        f"{row['latency_ms_p50']:.2f} | {row['latency_ms_p95']:.2f} | {row['executions_started']} | "
        f"{row['executions_listed']} | {row['lost']} | {row['errors']} | {_mib(row['server_rss_mib'])} |"
        for row in results
    )
    lines += ["", f"Ours answered **{ratio:.2f}x** as many requests per second as moto."]
    for row in results:
        if row["error_samples"]:
            lines += ["", f"Errors from {row['server']} (samples):", *[f"- `{e}`" for e in row["error_samples"]]]
    return "\n".join(lines) + "\n"


def _mib(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--quick", action="store_true", help="8 clients, 5 s per server")
    args = parser.parse_args()
    if args.quick:
        args.clients, args.seconds = 8, 5.0
    command = "python benchmarks/endpoint_load.py " + " ".join(sys.argv[1:])
    results = []
    for name, starter in (("constructs-sfn serve", start_ours), ("moto_server", start_moto)):
        process, url = starter()
        try:
            print(f"{name}: {url}, {args.clients} clients for {args.seconds:g} s ...", flush=True)
            row = measure(name, url, clients=args.clients, processes=args.processes, seconds=args.seconds)
            row["server_rss_mib"] = rss_mib(process.pid)
            print(json.dumps(row, indent=1), flush=True)
            results.append(row)
        finally:
            stop(process)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "endpoint_load.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    text = report(results, args, command.strip())
    (RESULTS / "endpoint_load.md").write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(row["errors"] == 0 and row["lost"] == 0 for row in results) else 1


if __name__ == "__main__":
    sys.exit(main())
