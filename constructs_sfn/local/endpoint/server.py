"""``EndpointServer``: the local client served over HTTP on the Step Functions wire protocol.

One thread per connection (``ThreadingHTTPServer``, HTTP/1.1 keep-alive, as boto3's connection
pool expects), a bounded number of connections, a bounded request body, a socket timeout so a
stalled client cannot hold a thread forever. Every answer is AWS-shaped JSON with an
``x-amzn-RequestId`` header; an unexpected failure is logged here and answered as
``InternalFailure``, never as a traceback.

**Time.** The client runs on a virtual clock that starts at the wall-clock time the server starts,
and a ticker hands it the wall-clock time that passes. In the ``virtual`` mode (the default) Wait
states and retry back-off complete at once (their timestamps move on as on AWS), while a task
token's ``TimeoutSeconds`` or ``HeartbeatSeconds`` expires after that many real seconds. In the
``real`` mode executions also pause at every Wait and back-off, and go on when the ticker has let
that much time pass, as in Step Functions Local; no request ever sleeps.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import socketserver
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from constructs_sfn.local.client import LocalStepFunctions
from constructs_sfn.local.endpoint.operations import call_operation
from constructs_sfn.local.endpoint.settings import EndpointSettings
from constructs_sfn.local.endpoint.wire import CONTENT_TYPE, WireError, decode_request, encode_body, encode_error

__all__ = ["DEFAULT_MAX_BODY_BYTES", "EndpointServer", "is_loopback"]

DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024
"""Largest request body accepted: room for a 1 MiB definition written with ``\\uXXXX`` escapes."""
_MAX_CONNECTIONS = 256
_LARGE_BODY_BYTES = 1024 * 1024
_LARGE_BODIES_AT_ONCE = 2
"""Bodies over 1 MiB are read and decoded two at a time: decoded JSON can take many times its
text's size, and this keeps the memory of 256 connections bounded."""
_SOCKET_TIMEOUT_SECONDS = 60.0
_LOG = logging.getLogger(__name__)


def is_loopback(host: str) -> bool:
    """True when every address ``host`` resolves to is a loopback address (127.0.0.0/8, ::1)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    addresses = {info[4][0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(str(a).split("%", 1)[0]).is_loopback for a in addresses)


class EndpointServer:
    """Serve a :class:`LocalStepFunctions` at ``http://host:port`` until :meth:`close`.

    ``client``: the client to serve. Default: - one built from ``settings``.
    ``settings``: account, region, mock configuration, service endpoints. Default: - read from
    the environment (:meth:`EndpointSettings.from_environment`).
    ``port``: 0 picks a free port (see :attr:`url`). ``allow_remote``: needed to bind an address
    that is not loopback (there is no authentication). ``tick_seconds``: how often wall-clock time
    is handed to the client's virtual clock (``advance_clock``); 0 disables it, and time then only
    moves inside executions. Default: - every second for the client built here, never for a
    ``client`` passed in (its clock is the caller's: a ``RealClock`` must not be advanced).

    Use it as a context manager, or call :meth:`start` and :meth:`close`.
    """

    def __init__(
        self,
        client: LocalStepFunctions | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 8083,
        settings: EndpointSettings | None = None,
        allow_remote: bool = False,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        tick_seconds: float | None = None,
    ) -> None:
        if not allow_remote and not is_loopback(host):
            raise PermissionError(
                f"refusing to listen on {host}: not a loopback address; the endpoint has no "
                "authentication, so binding it elsewhere needs allow_remote=True (--allow-remote)"
            )
        self.settings = settings if settings is not None else EndpointSettings.from_environment()
        self.client = client if client is not None else self.settings.build_client()
        self.max_body_bytes = max_body_bytes
        if tick_seconds is None:
            # Real time needs a fine tick: a Wait state ends within one tick of its due time.
            own = 0.1 if self.settings.time_mode == "real" else 1.0
            tick_seconds = own if client is None else 0.0
        self._tick_seconds = tick_seconds
        self._in_flight = 0
        self._idle = threading.Condition()
        self._httpd = _HTTPServer(host, port, self)
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    @property
    def host(self) -> str:
        """The address listened on."""
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        """The port listened on (the one picked when 0 was asked)."""
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """``http://host:port``: what to give boto3 as ``endpoint_url``."""
        host = self.host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    def start(self) -> EndpointServer:
        """Serve in background threads; returns ``self``."""
        if self._threads:
            return self
        serving = threading.Thread(target=self._httpd.serve_forever, name="sfn-endpoint", daemon=True)
        self._threads.append(serving)
        if self._tick_seconds > 0:
            self._threads.append(threading.Thread(target=self._tick, name="sfn-endpoint-clock", daemon=True))
        for thread in self._threads:
            thread.start()
        return self

    def close(self) -> None:
        """Stop accepting connections, let requests being answered finish (for up to 10 s), release
        the port. Idle keep-alive connections are dropped."""
        self._stopping.set()
        if self._threads:
            self._httpd.shutdown()
        for thread in self._threads:
            thread.join(timeout=10)
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout=10)
        self._httpd.server_close()

    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        """Held by the HTTP handler while it answers one request (what :meth:`close` waits for)."""
        with self._idle:
            self._in_flight += 1
        try:
            yield
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def __enter__(self) -> EndpointServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def answer(self, method: str, headers: Any, body: bytes) -> tuple[int, bytes, str]:
        """Status, body and request id for one request (what the HTTP handler sends).

        Each answer is logged at INFO on this module's logger (action, outcome, milliseconds):
        ``constructs-sfn serve --verbose`` shows them.
        """
        began = time.perf_counter()
        action = "-"
        try:
            request = decode_request(method, headers, body)
            action = request.action
            response = call_operation(self.client, request.action, request.params)
            payload = encode_body(response)
        except WireError as error:
            answer = error.status, encode_error(error.code, error.message), error.request_id or _request_id()
            outcome = error.code
        except Exception as error:
            _LOG.exception("the local endpoint failed on a request")
            message = f"The local endpoint failed: {type(error).__name__}: {error}"
            answer, outcome = (500, encode_error("InternalFailure", message), _request_id()), "InternalFailure"
        else:
            metadata = response.get("ResponseMetadata") or {}
            answer, outcome = (200, payload, str(metadata.get("RequestId") or _request_id())), "OK"
        if _LOG.isEnabledFor(logging.INFO):
            elapsed = (time.perf_counter() - began) * 1000
            _LOG.info("%s %s %d %s %.1f ms", action, outcome, answer[0], answer[2], elapsed)
        return answer

    def _tick(self) -> None:
        last = time.monotonic()
        while not self._stopping.wait(self._tick_seconds):
            now = time.monotonic()
            try:
                self.client.advance_clock(now - last)
            except Exception:  # the ticker must outlive any one failure; it is logged
                _LOG.exception("the endpoint clock could not advance")
            last = now


def _request_id() -> str:
    return str(uuid.uuid4())


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, host: str, port: int, endpoint: EndpointServer) -> None:
        self.endpoint = endpoint
        self._slots = threading.BoundedSemaphore(_MAX_CONNECTIONS)
        self.large_bodies = threading.BoundedSemaphore(_LARGE_BODIES_AT_ONCE)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        self.address_family = infos[0][0] if infos else socket.AF_INET
        super().__init__((host, port), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, a DNS query that can stall start-up.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        # Waiting for a free slot bounds the threads (and memory); waiting clients queue in the
        # listen backlog instead of being refused.
        self._slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = _SOCKET_TIMEOUT_SECONDS
    # Headers and body go out in separate writes; with Nagle's algorithm the body would wait for
    # the client's delayed ACK (~40 ms per request).
    disable_nagle_algorithm = True
    server: _HTTPServer

    def version_string(self) -> str:
        """The ``Server`` header."""
        return "constructs-sfn"

    def do_POST(self) -> None:
        self._serve("POST")

    def do_GET(self) -> None:
        self._serve("GET")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        endpoint = self.server.endpoint
        length_text = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding") or (length_text is None and method == "POST"):
            self._send(411, "LengthRequiredException", "The request needs a Content-Length header", close=True)
            return
        try:
            length = int(length_text or "0")
        except ValueError:
            length = -1
        if length < 0:
            self._send(400, "SerializationException", f"Invalid Content-Length {length_text!r}", close=True)
            return
        if length > endpoint.max_body_bytes:
            message = f"The request body of {length} bytes is over the limit of {endpoint.max_body_bytes} bytes"
            self._send(413, "RequestEntityTooLargeException", message, close=True)
            return
        if length > _LARGE_BODY_BYTES:
            with self.server.large_bodies:
                self._read_and_answer(method, length)
        else:
            self._read_and_answer(method, length)

    def _read_and_answer(self, method: str, length: int) -> None:
        endpoint = self.server.endpoint
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the client went away mid-body
            self.close_connection = True
            return
        with endpoint.serving():
            status, payload, request_id = endpoint.answer(method, self.headers, body)
            self._write(status, payload, request_id)

    def _send(self, status: int, code: str, message: str, *, close: bool) -> None:
        if close:
            self.close_connection = True
        self._write(status, encode_error(code, message), _request_id())

    def _write(self, status: int, payload: bytes, request_id: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", CONTENT_TYPE)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-amzn-RequestId", request_id)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors of the HTTP layer itself (a malformed request line, an oversized header) as AWS JSON."""
        self.close_connection = True
        text = message or explain or "Bad request"
        with contextlib.suppress(OSError):  # the client is gone
            self._write(code, encode_error("SerializationException", text), _request_id())

    def log_message(self, format: str, *args: Any) -> None:
        # Access logs go to the logging module (silent unless configured), not to stderr.
        _LOG.debug("%s " + format, self.address_string(), *args)
