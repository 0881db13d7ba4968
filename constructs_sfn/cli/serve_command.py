"""``constructs-sfn serve``: the AWS-compatible local Step Functions endpoint."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from types import FrameType
from typing import Any

__all__ = ["register_serve", "run_serve"]

_DESCRIPTION = """\
Serve the local Step Functions executor on the Step Functions wire protocol (AWS JSON 1.0), so
the AWS CLI, boto3 and the other AWS SDKs work unchanged against --endpoint-url http://HOST:PORT.

Configuration as Step Functions Local reads it: SFN_MOCK_CONFIG (a MockConfigFile.json, used by
executions started as <stateMachineArn>#<TestCase>), AWS_ACCOUNT_ID, AWS_DEFAULT_REGION, and
LAMBDA_ENDPOINT, SQS_ENDPOINT, SNS_ENDPOINT, DYNAMODB_ENDPOINT, BATCH_ENDPOINT, ECS_ENDPOINT,
GLUE_ENDPOINT, SAGE_MAKER_ENDPOINT, STEP_FUNCTIONS_ENDPOINT for the services Task states call
(others resolve as boto3 resolves them: AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>).
Options win over the environment.

Time (--time): virtual (default): Wait states and retry back-off complete at once, task-token
timeouts and heartbeats expire in wall-clock time; real: executions also wait out every Wait
state and back-off in wall-clock time, as Step Functions Local does. Stop with Ctrl-C or SIGTERM.
"""


def register_serve(commands: Any) -> None:
    """Add the ``serve`` sub-command to the ``constructs-sfn`` sub-parsers ``commands``."""
    parser = commands.add_parser(
        "serve",
        help="serve the local executor as an AWS-compatible Step Functions endpoint",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument(
        "--port", type=_port, default=8083, help="port to listen on, 0 for any free one (default: 8083)"
    )
    parser.add_argument(
        "--mock-config",
        metavar="FILE",
        default=None,
        help="Step Functions Local mock configuration (MockConfigFile.json) (default: $SFN_MOCK_CONFIG)",
    )
    parser.add_argument("--region", default=None, help="region in ARNs (default: $AWS_DEFAULT_REGION, else us-east-1)")
    parser.add_argument(
        "--account", default=None, help="account id in ARNs (default: $AWS_ACCOUNT_ID, else 123456789012)"
    )
    parser.add_argument(
        "--time",
        choices=("virtual", "real"),
        default="virtual",
        help="virtual: Wait states and back-off take no wall time (default); real: they take their wall time",
    )
    parser.add_argument(
        "--max-executions",
        type=_max_executions,
        default=None,
        metavar="N",
        help="executions kept: beyond N the oldest closed ones are forgotten (never running ones); "
        "0 keeps all (default: 10000, the local client's own bound)",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host that is not a loopback address (the endpoint has no authentication)",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="log every request to stderr: action, outcome, status, request id, ms"
    )
    parser.set_defaults(handler=run_serve)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port {value} is not between 0 and 65535")
    return value


def _max_executions(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative (0 keeps every execution)")
    return value


def _retention(max_executions: int | None) -> int | None:
    """The client's ``max_executions`` for ``--max-executions`` (not given: the client's default; 0: no bound)."""
    from constructs_sfn.local.client import DEFAULT_MAX_EXECUTIONS

    if max_executions is None:
        return DEFAULT_MAX_EXECUTIONS
    return max_executions or None


def run_serve(args: argparse.Namespace) -> int:
    """Serve until SIGINT or SIGTERM; 0 after a clean stop, 2 for a configuration error."""
    from constructs_sfn.integrations import IntegrationConfigError
    from constructs_sfn.local.endpoint import EndpointConfigError, EndpointServer, EndpointSettings, is_loopback

    if args.verbose:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger = logging.getLogger("constructs_sfn.local.endpoint")
        logger.addHandler(stream)
        logger.setLevel(logging.INFO)
    remote = not is_loopback(args.host)
    if remote and not args.allow_remote:
        return _fail(
            f"refusing to listen on {args.host}: not a loopback address. The endpoint has no authentication; "
            "pass --allow-remote to bind it anyway"
        )
    try:
        settings = EndpointSettings.from_environment(
            region=args.region,
            account_id=args.account,
            mock_config=args.mock_config,
            time_mode=args.time,
            max_executions=_retention(args.max_executions),
        )
        server = EndpointServer(host=args.host, port=args.port, settings=settings, allow_remote=args.allow_remote)
    except (EndpointConfigError, IntegrationConfigError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}")
    if remote:
        print(
            f"constructs-sfn serve: WARNING: listening on {args.host}, which is not a loopback address: anyone "
            "who can reach it can create and run state machines (there is no authentication)",
            file=sys.stderr,
            flush=True,
        )
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        del signum, frame
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.start()
        mocks = f", mock config {settings.mock_config}" if settings.mock_config else ""
        print(
            f"constructs-sfn serve: listening on {server.url} (region {settings.region}, "
            f"account {settings.account_id}, {settings.time_mode} time{mocks})",
            flush=True,
        )
        while not stop.wait(0.5):
            pass
    finally:
        server.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("constructs-sfn serve: stopped", flush=True)
    return 0


def _fail(message: str) -> int:
    print(f"constructs-sfn serve: {message}", file=sys.stderr)
    return 2
