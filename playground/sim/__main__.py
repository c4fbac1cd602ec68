"""`python -m playground.sim [--port N] [--config file.json] [--time-scale X]`: serve in the foreground.
`python -m playground.sim run [--config file.json] [--time-scale X] -- COMMAND [ARGS...]`: run COMMAND against it."""

from __future__ import annotations

import argparse
import sys

from . import arrivals
from .config import SimConfig


def _config(args: argparse.Namespace) -> SimConfig:
    config = SimConfig.from_file(args.config) if args.config else SimConfig()
    if args.time_scale is not None:
        config = config.updated({"time_scale": args.time_scale})
    return config


def _parser(prog: str, port: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port, help="0 = any free port")
    parser.add_argument("--config", help="JSON file with SimConfig fields")
    parser.add_argument("--time-scale", type=float, help="multiply every delay (0 = instant)")
    return parser


def serve(argv: list[str]) -> None:
    import uvicorn

    from .server import build_app, serve_config
    from .state import SimState

    args = _parser("python -m playground.sim", 7861).parse_args(argv)
    base = f"http://{args.host}:{args.port}"
    print(f"HF_ENDPOINT={base}\nPLAYGROUND_ROUTER_URL={base}/router\ndirect provider APIs: {base}/direct/{{host}}",
          flush=True)
    uvicorn.Server(serve_config(build_app(SimState(_config(args))))).run(sockets=[arrivals.listener(args.host, args.port)])


def run(argv: list[str]) -> int:
    from .sandbox import run as run_command

    split = argv.index("--") if "--" in argv else len(argv)
    args = _parser("python -m playground.sim run", 0).parse_args(argv[:split])
    return run_command(argv[split + 1:], _config(args), host=args.host, port=args.port)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["run"]:
        return run(argv[1:])
    serve(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
