"""Inference Providers Playground: `python app.py` (add `--demo` to force the built-in simulator).

Spaces import `demo` from here; running it directly also launches it.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys

import gradio as gr

from playground import catalog, settings
from playground.sdk import urls
from playground.service import Playground
from playground.ui.layout import build, launch_options

logger = logging.getLogger("playground")


def start_playground(force_demo: bool = False) -> Playground:
    """Live when the Hub answers; otherwise (or when asked) on the embedded simulator, started here."""
    config = settings.load()
    if not (force_demo or config.force_demo) and catalog.hub_reachable(config):
        urls.apply(config)
        return Playground(config)
    from playground.sim.config import DEMO_THROTTLE, SimConfig, rate_limit
    from playground.sim.server import Simulator

    simulator = Simulator(SimConfig(faults=[rate_limit(DEMO_THROTTLE[1], DEMO_THROTTLE[0])]))
    try:
        simulator.start(port=config.sim_port)
    except OSError:  # taken (another app in demo mode): any free port; snippets then name that one
        logger.warning("Port %s is taken; the simulator uses a free port instead (set PLAYGROUND_SIM_PORT)", config.sim_port)
        simulator.start()
    config = config.with_simulator(simulator.hub_url, simulator.router_url, simulator.direct_url)
    urls.apply(config)
    logger.warning("Demo mode: the Hub is not reachable or --demo was given; using the simulator at %s", simulator.hub_url)
    return Playground(config)


def create_demo(force_demo: bool = False) -> gr.Blocks:
    demo = build(start_playground(force_demo))
    demo.queue(default_concurrency_limit=64)
    return demo


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo", action="store_true", help="run on the built-in simulator even if the Hub is reachable")
    known, _ = parser.parse_known_args(argv)
    return known


demo = create_demo(force_demo=_arguments(sys.argv[1:]).demo)
# What start-up loaded (gradio, pandas, the SDK) lives as long as the process: keeping it out of the collector's
# full passes spares every stream a pause of 100+ ms each time one runs.
gc.freeze()

if __name__ == "__main__":
    demo.launch(**launch_options())
