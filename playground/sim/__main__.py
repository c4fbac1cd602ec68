"""`python -m playground.sim --port N [--config file.json] [--time-scale X]`: serve in the foreground."""

from __future__ import annotations

import argparse

import uvicorn

from . import arrivals
from .config import SimConfig
from .server import build_app, serve_config
from .state import SimState


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m playground.sim", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7861)
    parser.add_argument("--config", help="JSON file with SimConfig fields")
    parser.add_argument("--time-scale", type=float, help="multiply every delay (0 = instant)")
    args = parser.parse_args(argv)
    config = SimConfig.from_file(args.config) if args.config else SimConfig()
    if args.time_scale is not None:
        config = config.updated({"time_scale": args.time_scale})
    base = f"http://{args.host}:{args.port}"
    print(f"HF_ENDPOINT={base}\nPLAYGROUND_ROUTER_URL={base}/router\ndirect provider APIs: {base}/direct/{{host}}",
          flush=True)
    uvicorn.Server(serve_config(build_app(SimState(config)))).run(sockets=[arrivals.listener(args.host, args.port)])


if __name__ == "__main__":
    main()
