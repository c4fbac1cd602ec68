"""The embedded simulator: a local stand-in for the Hugging Face Hub, the HF router and the providers' APIs.

    from playground.sim.config import SimConfig
    from playground.sim.server import Simulator
    with Simulator(SimConfig(time_scale=0.0)) as sim:
        sim.hub_url, sim.router_url, sim.direct_url

(Nothing is imported here: a module of the simulator imports only what it uses, so importing one does not
import them all.)
"""
