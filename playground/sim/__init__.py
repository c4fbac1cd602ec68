"""The embedded simulator: a local stand-in for the Hugging Face Hub, the HF router and the providers' APIs.

    from playground.sim import Simulator, SimConfig
    with Simulator(SimConfig(time_scale=0.0)) as sim:
        sim.hub_url, sim.router_url, sim.direct_url
"""

from .config import DEMO_THROTTLE, FaultSpec, LatencyProfile, SimConfig, rate_limit
from .server import Simulator

__all__ = ["DEMO_THROTTLE", "FaultSpec", "LatencyProfile", "SimConfig", "Simulator", "rate_limit"]
