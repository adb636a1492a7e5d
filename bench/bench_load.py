"""Load: 32 concurrent clients on the dossier page for 60 s, against gunicorn on 127.0.0.1, each request
signed in (a researcher's session cookie) and for one of --pages different persons. Reports requests/s,
errors (socket errors, and every response other than 200 counted from the server's access log) and the
latency percentiles that wrk measures.

Needs wrk, the HTTP load tool (Debian: `apt-get install -y wrk`), and gunicorn (a dependency).

    .venv/bin/python bench/bench_load.py --db /tmp/bench.sqlite3 --reuse   # after bench_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/habeas_bench \\
        .venv/bin/python bench/bench_load.py --reuse

Only 127.0.0.1 is used; the server is stopped when the run ends, whatever happens.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import _common


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with status {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer on 127.0.0.1:{port} within {seconds:.0f} s")


def lua(ids: list[int]) -> str:
    """A wrk script that walks through the persons' dossier pages."""
    return (
        f"local ids = {{{', '.join(map(str, ids))}}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i + 1\n"
        '  return wrk.format("GET", "/persons/" .. ids[(i % #ids) + 1] .. "/")\n'
        "end\n"
    )


def main() -> None:
    p = _common.parser(__doc__)
    p.add_argument("--connections", type=int, default=32, help="concurrent clients (default 32)")
    p.add_argument("--duration", type=int, default=60, help="seconds (default 60)")
    p.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    p.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn workers (default 2 x cores + 1)",
    )
    p.add_argument("--pages", type=int, default=1000, help="different persons requested (default 1000)")
    options = p.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is not installed: on Debian, `apt-get install -y wrk` (https://github.com/wg/wrk)")
    gunicorn = _common.ROOT / ".venv" / "bin" / "gunicorn"
    if not gunicorn.exists():
        sys.exit(f"{gunicorn} is missing: `.venv/bin/pip install -e .` installs it")

    database = _common.open_database(options)
    _common.header("Load", database)
    filled = _common.fill(options.persons, reuse=options.reuse)
    print(f"fill: {'reused' if filled is None else f'{filled:.1f} s'}")

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(_common.researcher())
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    ids = _common.sample_ids(options.pages, seed=11)
    connection.close()  # the server's workers open their own

    scratch = Path(tempfile.mkdtemp(prefix="habeas-load-"))
    script, log = scratch / "dossiers.lua", scratch / "access.log"
    script.write_text(lua(ids))
    port = free_port()
    serve = [str(gunicorn), "habeas.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    serve += ["--workers", str(options.workers), "--access-logfile", str(log), "--access-logformat", "%(s)s"]
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        serve,
        cwd=_common.ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_for(port, server)
        # The cookie must sign the requests in: a redirect to the login page would look like success.
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        probe.request("GET", f"/persons/{ids[0]}/", headers={"Cookie": cookie})
        answer = probe.getresponse()
        if answer.status != 200:
            sys.exit(f"probe answered {answer.status}, not 200: is the session cookie accepted?")
        probe.close()
        log.write_text("")  # count the run's requests only (gunicorn appends: O_APPEND)
        command = [wrk, f"-t{options.threads}", f"-c{options.connections}", f"-d{options.duration}s"]
        command += ["--latency", "--timeout", "10s", "-s", str(script), "-H", f"Cookie: {cookie}"]
        print(
            f"{options.workers} gunicorn sync workers; wrk -t{options.threads} -c{options.connections} "
            f"-d{options.duration}s over {len(ids)} dossier pages; {_common.load()}"
        )
        started = time.perf_counter()
        run = subprocess.run(  # noqa: S603 (our own command line)
            [*command, f"http://127.0.0.1:{port}"],
            capture_output=True,
            text=True,
            timeout=options.duration + 60,
            check=True,
        )
        seconds = time.perf_counter() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    out = run.stdout
    print(out)
    statuses = Counter(line.strip() for line in log.read_text().splitlines())

    def find(pattern: str) -> str:
        found = re.search(pattern, out)
        return found.group(1) if found else "-"

    socket_errors = find(r"Socket errors: (.*)") if "Socket errors" in out else "none"
    served = sum(statuses.values())
    requests = find(r"(\d+) requests in")
    rows: list[list[Any]] = [
        ["requests/s (wrk)", find(r"Requests/sec:\s+([\d.]+)")],
        ["requests (wrk; server log)", f"{requests}; {served}"],
        ["responses other than 200 (server log)", served - statuses["200"]],
        ["socket errors (wrk)", socket_errors],
        ["latency median", find(r"50%\s+(\S+)")],
        ["latency p90", find(r"90%\s+(\S+)")],
        ["latency p99", find(r"99%\s+(\S+)")],
        ["wall time", f"{seconds:.0f} s"],
    ]
    _common.table(["dossier page under load", "value"], rows)
    print(f"after: {_common.load()}")
    shutil.rmtree(scratch, ignore_errors=True)
    if served - statuses["200"] or socket_errors != "none":
        sys.exit(1)


if __name__ == "__main__":
    main()
