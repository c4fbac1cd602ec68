"""TTFT against a packet capture on loopback: the truth from outside every process.

    python benchmarks/wire_check.py [--users 32] [--rounds 1]

tcpdump (Debian's package: `apt-get install -y tcpdump`; the script skips cleanly without it or without the right
to capture) records the simulator's port on `lo` with the kernel's nanosecond stamps. Per request, on its TCP
connection: the last segment of the request (app → simulator) and the first segment carrying streamed text back.
Wire TTFT = the second − the first. Beside it, in the same run: the app's reported TTFT (in-process, as in
`ttft_accuracy.py`), the naive baseline's, and the simulator's own (first text written − request arrived), so its
stamps, which `ttft_accuracy.py` takes as truth, are checked too. Responses are matched to the simulator's records
by their `x-sim-request-id` header.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import PROVIDERS, load, machine, point_sdk_at, realistic, sha256, sim_process, spread
from ttft_accuracy import Arrival, app_round, naive_round

TEXT = re.compile(rb'"content":"[^"]')
REQUEST_ID = re.compile(rb"x-sim-request-id: (sim-\d+)", re.IGNORECASE)


def packets(path: Path) -> Iterator[tuple[float, int, int, bytes]]:
    """(kernel stamp in seconds, source port, destination port, TCP payload) of each IPv4 TCP packet with a payload."""
    data = path.read_bytes()
    magic, _, _, _, _, _, link = struct.unpack_from("<IHHiIII", data)
    scale = 1e-9 if magic == 0xA1B23C4D else 1e-6
    offset = 24
    while offset + 16 <= len(data):
        seconds, fraction, captured, _ = struct.unpack_from("<IIII", data, offset)
        frame = data[offset + 16 : offset + 16 + captured]
        offset += 16 + captured
        ip = frame[14:] if link == 1 else frame[16:] if link == 113 else frame
        if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 6:
            continue
        tcp = ip[(ip[0] & 15) * 4 :]
        source, destination = struct.unpack_from("!HH", tcp)
        payload = tcp[(tcp[12] >> 4) * 4 :]
        if payload:
            yield seconds + fraction * scale, source, destination, payload


@dataclass
class Exchange:
    request_last: float = 0.0
    first_text: float | None = None
    request_id: str | None = None
    head: bytes = b""


@dataclass
class Connection:
    exchanges: list[Exchange] = field(default_factory=list)
    answering: bool = False


def wire_ttfts(path: Path, server_port: int) -> dict[str, float]:
    """The simulator's request id → wire TTFT (first text-carrying segment − the request's last segment)."""
    connections: dict[int, Connection] = {}
    for at, source, destination, payload in packets(path):
        if destination == server_port:
            conn = connections.setdefault(source, Connection())
            if conn.answering or not conn.exchanges:
                conn.exchanges.append(Exchange())
                conn.answering = False
            conn.exchanges[-1].request_last = at
        elif source == server_port and destination in connections:
            conn = connections[destination]
            conn.answering = True
            exchange = conn.exchanges[-1]
            if exchange.request_id is None:
                exchange.head += payload[:4096]
                if found := REQUEST_ID.search(exchange.head):
                    exchange.request_id = found.group(1).decode()
            if exchange.first_text is None and TEXT.search(payload):
                exchange.first_text = at
    return {e.request_id: e.first_text - e.request_last for c in connections.values() for e in c.exchanges
            if e.request_id and e.first_text is not None}


class Capture:
    """tcpdump on `lo` for one port, into a file; None when it cannot run here."""

    def __init__(self, port: int, folder: Path) -> None:
        self.path = folder / "lo.pcap"
        self.process = subprocess.Popen(
            ["tcpdump", "-i", "lo", "-n", "-s", "0", "-B", "16384", "--time-stamp-precision=nano", "-w",
             str(self.path), f"tcp port {port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while not self.path.exists() and self.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # the filter is attached once the file exists; give it a moment

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        _, errors = self.process.communicate(timeout=30)
        return errors.decode(errors="replace")


def compare(name: str, arrivals: list[Arrival], records: list[dict[str, Any]], wire: dict[str, float]) -> str:
    by_key = {(r["key_sha256"], r["provider"]): r for r in records if r.get("stream")}
    app, sim, missing = [], [], 0
    for key, provider, ttft, _ in arrivals:
        record = by_key.get((sha256(key), provider))
        truth = wire.get(record["id"]) if record else None
        if truth is None or ttft is None or record is None or record.get("arrived_at") is None:
            missing += 1
            continue
        app.append(ttft - truth)
        sim.append((record["first_text_at"] - record["arrived_at"]) - truth)
    lost = f"  (not matched: {missing})" if missing else ""
    return (f"  {name:<6} reported TTFT − wire TTFT   {spread(app).us()}{lost}\n"
            f"  {'':<6} simulator's TTFT − wire     {spread(sim).us()}\n  {'':<6} {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("tcpdump") is None:
        print("skipped: tcpdump is not installed (apt-get install -y tcpdump)")
        return
    print(f"TTFT against a packet capture on lo, {len(PROVIDERS)} providers, streaming\nmachine: {machine()}\n{load()}")
    with sim_process() as sim, tempfile.TemporaryDirectory() as scratch:
        realistic(sim)
        port = int(sim.base_url.rsplit(":", 1)[1])
        playground = point_sdk_at(sim.base_url, sim.router_url, sim.direct_url)
        with asyncio.Runner() as loop:
            loop.run(app_round(playground, "wwarm", 1))
            naive_round("wwarm", 1)
            gc.freeze()
            for users in (1, args.users):
                capture = Capture(port, Path(scratch))
                if not capture.running:
                    print(f"skipped: tcpdump cannot capture here: {capture.stop().strip()}")
                    return
                sim.clear_records()
                app = loop.run(app_round(playground, f"wapp{users}", users))
                naive = naive_round(f"wnaive{users}", users)
                records = sim.records()
                print(capture.stop().strip().replace("\n", "; "), file=sys.stderr)
                wire = wire_ttfts(capture.path, port)
                print(f"\n{users} user(s) × {len(PROVIDERS)} providers ({len(wire)} streams on the wire):")
                print(compare("app", app, records, wire))
                print(compare("naive", naive, records, wire))
                os.remove(capture.path)


if __name__ == "__main__":
    main()
