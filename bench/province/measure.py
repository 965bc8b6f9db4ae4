#!/usr/bin/env python3
"""Timings for bench/province.sh that need a clock closer than curl in a loop.

  measure.py start LOG PORT HOST [--home]
      Spawns `$BIN serve --no-demo --listen 127.0.0.1:PORT` in the current folder
      (left running, in its own session, output into LOG), polls /healthz until it
      answers 200 and, with --home, then asks for / with `Host: HOST` until 200.
      Prints `pid=… healthz=… home=…` (seconds since the spawn).

  measure.py idle PID SECONDS
      Watches an idle server for SECONDS: prints `rss=… rss_max=… cpu=…`, its
      resident memory at the end and at most (MB, VmRSS sampled every 0.25 s),
      and the CPU it used meanwhile (% of one core).

  measure.py site-add PORT NAME HOST
      Runs `$BIN site add --name NAME --kind thpt --parent so --host HOST` against
      the running server's database, then polls / with `Host: HOST` until the page
      shows NAME. Prints `cli=… visible=…`: seconds the command took, then seconds
      from its end until the running server answered with the new site.
"""

import http.client
import os
import subprocess
import sys
import time

POLL = 0.005
GIVE_UP = 120.0


def get(port: int, path: str, host: str | None = None) -> tuple[int, str]:
    """Status and body; 0 when nothing answers yet."""
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", path, headers={"Host": host} if host else {})
        r = c.getresponse()
        body = r.read().decode("utf-8", "replace")
        c.close()
        return r.status, body
    except OSError:
        return 0, ""


def wait_for(proc: subprocess.Popen | None, log: str, check) -> None:
    deadline = time.monotonic() + GIVE_UP
    while not check():
        if proc is not None and proc.poll() is not None:
            sys.exit(f"the server stopped (exit {proc.returncode}); see {log}")
        if time.monotonic() > deadline:
            sys.exit(f"nothing after {GIVE_UP:.0f} s; see {log}")
        time.sleep(POLL)


def start(log: str, port: int, host: str, home: bool) -> None:
    out = open(log, "ab")
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [os.environ["BIN"], "serve", "--no-demo", "--listen", f"127.0.0.1:{port}"],
        stdout=out,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(proc, log, lambda: get(port, "/healthz")[0] == 200)
        healthz = time.monotonic() - t0
        home_s = "-"
        if home:
            wait_for(proc, log, lambda: get(port, "/", host)[0] == 200)
            home_s = f"{time.monotonic() - t0:.3f}"
    except SystemExit:
        proc.terminate()  # nobody else knows its pid
        raise
    print(f"pid={proc.pid} healthz={healthz:.3f} home={home_s}")


def idle(pid: int, seconds: float) -> None:
    def rss_mb() -> float:
        with open(f"/proc/{pid}/status") as f:
            kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        return kb / 1024

    def cpu_ticks() -> int:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime

    t0, c0 = time.monotonic(), cpu_ticks()
    samples = [rss_mb()]
    while time.monotonic() - t0 < seconds:
        time.sleep(0.25)
        samples.append(rss_mb())
    cpu = (cpu_ticks() - c0) / os.sysconf("SC_CLK_TCK") / (time.monotonic() - t0)
    print(f"rss={samples[-1]:.1f} rss_max={max(samples):.1f} cpu={cpu * 100:.0f}")


def site_add(port: int, name: str, host: str) -> None:
    t0 = time.monotonic()
    subprocess.run(
        [os.environ["BIN"], "site", "add", "--name", name, "--kind", "thpt", "--parent", "so",
         "--host", host],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    t1 = time.monotonic()

    def shows_name() -> bool:
        status, body = get(port, "/", host)
        return status == 200 and name in body

    wait_for(None, "the server's log", shows_name)
    print(f"cli={t1 - t0:.3f} visible={time.monotonic() - t1:.3f}")


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["start", log, port, host, *rest] if rest in ([], ["--home"]):
            start(log, int(port), host, rest == ["--home"])
        case ["idle", pid, seconds]:
            idle(int(pid), float(seconds))
        case ["site-add", port, name, host]:
            site_add(int(port), name, host)
        case _:
            sys.exit(__doc__)
