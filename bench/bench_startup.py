"""Issue 2 measure: `make run` on a fresh clone is serving within 5 minutes (installs included), and the idle web
server and task worker together stay under 400 MB RSS.

Clones the committed HEAD of this repository into a temporary folder, runs `make run` there on a free port, polls the
login page until it answers 200, then lets the system idle and sums the RSS of every process under `make run`.
Usage: .venv/bin/python bench/bench_startup.py [--idle-seconds 30] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_pids(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError):
            continue
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(children.get(pid, []))
    return out


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--idle-seconds", type=int, default=30)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="xinbao-startup-"))
    clone = work / "xinbao"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VIRTUAL_ENV")}
    env["XINBAO_ADDR"] = f"127.0.0.1:{port}"
    log = open(work / "make-run.log", "w")  # noqa: SIM115 - closed in finally, after the child exits
    started = time.monotonic()
    proc = subprocess.Popen(
        ["make", "run"], cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}/accounts/login/"
    serving_after = None
    try:
        while time.monotonic() - started < 600:
            if proc.poll() is not None:
                print("make run exited early; see", work / "make-run.log")
                return 1
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        serving_after = time.monotonic() - started
                        break
            except OSError:
                pass
            time.sleep(1)
        if serving_after is None:
            print("not serving after 600 s")
            return 1
        time.sleep(args.idle_seconds)
        pids = tree_pids(proc.pid)
        python_pids = [p for p in pids if "manage.py" in cmdline(p)]
        total = sum(rss_kb(p) for p in python_pids)
        print(f"fresh clone → serving: {serving_after:.1f} s (installs, migrate, demo seed included)")
        for p in python_pids:
            print(f"  pid {p}: {rss_kb(p) / 1024:.1f} MB  {cmdline(p)[:90]}")
        print(f"idle RSS after {args.idle_seconds} s, web server + worker: {total / 1024:.1f} MB")
        return 0
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
