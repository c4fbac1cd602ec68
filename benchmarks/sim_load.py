"""The simulator under load: 200 concurrent streams, its own CPU and how late it writes, beside the CPU it was denied.

    python benchmarks/sim_load.py [--streams 200]

Benchmarks trust the simulator's records as their truth, so the simulator must stay cheap and on time under the loads
they make. Its lateness also depends on whatever else the machine runs, so the time its threads sat runnable but
waiting for a CPU (schedstat) is printed beside it. Goals: server CPU < 2 s for 200 streams of ~1.5 s; median
lateness < 0.1 s beyond that starvation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys

from common import load, machine, quantile, sim_process

CHAT = "/router/groq/openai/v1/chat/completions"
QUESTION = [{"role": "user", "content": "What is the capital of France?"}]
PROFILE = {"ttft_s": 0.5, "tokens_per_s": 80, "jitter": 0.2}


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time a process used, and time it spent runnable but waiting for a CPU (other processes' load)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    used = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    waited = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/schedstat") as schedstat:
            waited += int(schedstat.read().split()[1])
    return used, waited / 1e9


async def raw_stream(port: int, request: bytes) -> int:
    """One streamed chat over a bare socket (a light client, so the server is what gets measured)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    events = 0
    while data := await reader.read(65536):
        events += data.count(b"data: {")
    writer.close()
    return events


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=200)
    streams = parser.parse_args().streams
    body = json.dumps({"model": "llama-3.3-70b-versatile", "messages": QUESTION, "stream": True, "max_tokens": 80})
    with sim_process(time_scale=1.0, profiles={"groq": PROFILE}) as sim:
        port = int(sim.base_url.rsplit(":", 1)[1])
        request = (f"POST {CHAT} HTTP/1.1\r\nHost: sim\r\nAuthorization: Bearer hf_load\r\n"
                   f"Content-Type: application/json\r\nConnection: close\r\nContent-Length: {len(body)}\r\n\r\n{body}")

        async def run() -> list[int]:
            return await asyncio.gather(*(raw_stream(port, request.encode()) for _ in range(streams)))

        used_before, waited_before = cpu_seconds(sim.process.pid)
        counts = asyncio.run(run())
        used, waited = cpu_seconds(sim.process.pid)
        late = sorted(r["lateness_s"] for r in sim.records() if r["path"] == CHAT and r["lateness_s"] is not None)
    cpu, starved = used - used_before, waited - waited_before
    complete = sum(count == 82 for count in counts)  # 80 text chunks, the role chunk, the finish chunk
    print(f"# {machine()}; {load()}")
    print(f"streams complete      {complete}/{streams}")
    print(f"server CPU            {cpu:.2f} s   (goal < 2 s)")
    print(f"server starved        {starved:.2f} s   (runnable, waiting for a CPU other processes held)")
    print(f"lateness p50 / p95    {quantile(late, 0.5) * 1000:.1f} / {quantile(late, 0.95) * 1000:.1f} ms"
          f"   (goal p50 < 100 ms + starvation)")
    ok = complete == streams and cpu < 2.0 and quantile(late, 0.5) < 0.1 + starved
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
