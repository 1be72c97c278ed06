"""The load client of bench/bench_inbox.py: N threads, each with its own keep-alive HTTP connection to 127.0.0.1,
each sending a fixed number of GETs; per-request latency from just before the request is written to the end of
the response body. Loopback only, bounded in count and time (the ``deadline`` stops a stuck run)."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Client:
    """One simulated browser or API client: its own headers (session cookie or Bearer token)."""

    headers: dict[str, str]


@dataclass
class Run:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies_ms)

    def pct(self, p: float) -> float:
        data = sorted(self.latencies_ms)
        if not data:
            return float("nan")
        # Nearest-rank percentile: the value below which p % of the requests fell.
        rank = max(1, min(len(data), round(p / 100 * len(data) + 0.5)))
        return data[rank - 1]

    @property
    def median(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def throughput(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def _connect(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=60)


def _one(conn: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


def run(
    *,
    port: int,
    path: str,
    clients: list[Client],
    requests_per_client: int,
    warmup_per_client: int = 3,
    expect: bytes | None = None,
    deadline_seconds: float = 300,
) -> Run:
    """All clients start together (barrier) after their own warm-up requests; the run's wall time is from the
    barrier to the last response, so throughput counts only measured requests."""
    result = Run()
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients) + 1)
    stop_at = time.monotonic() + deadline_seconds
    base = {"Host": f"127.0.0.1:{port}", "Accept-Language": "zh-hans", "Connection": "keep-alive"}

    def worker(client: Client) -> None:
        headers = base | client.headers
        conn = _connect(port)
        mine: list[float] = []
        errors: list[str] = []
        try:
            for _ in range(warmup_per_client):
                _one(conn, path, headers)
        except Exception as exc:
            errors.append(f"warm-up: {exc!r}")
            conn.close()
            conn = _connect(port)
        barrier.wait()
        for _ in range(requests_per_client):
            if time.monotonic() > stop_at:
                errors.append("deadline reached")
                break
            started = time.perf_counter()
            try:
                try:
                    status, body = _one(conn, path, headers)
                except STALE:
                    # The server closed an idle keep-alive connection (gunicorn's keep-alive is 2 s, and a client
                    # may wait longer at the barrier); a browser resends on a new connection, and so does this.
                    conn.close()
                    conn = _connect(port)
                    started = time.perf_counter()
                    status, body = _one(conn, path, headers)
            except Exception as exc:  # a dropped connection is an error of the run, not a crash of the bench
                errors.append(repr(exc))
                conn.close()
                conn = _connect(port)
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200 or (expect is not None and expect not in body):
                errors.append(f"HTTP {status}: {body[:120]!r}")
                continue
            mine.append(elapsed)
        conn.close()
        with lock:
            result.latencies_ms.extend(mine)
            result.errors.extend(errors)

    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in clients]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join(timeout=deadline_seconds + 60)
    result.seconds = time.perf_counter() - started
    return result


def wait_until_serving(port: int, timeout: float = 60) -> None:
    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        try:
            conn = _connect(port)
            status, body = _one(conn, "/healthz", {"Host": f"127.0.0.1:{port}"})
            conn.close()
            if status == 200 and body == b"ok":
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"the server on port {port} did not answer /healthz within {timeout:.0f} s")
