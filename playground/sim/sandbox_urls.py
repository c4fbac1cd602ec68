"""Names the sandbox's transport hooks (`boot/`) and the simulator's handlers agree on."""

LIVE_URL_HEADER = "x-sim-live-url"  # the live URL a client called, before a hook sent it to the simulator
FAL_QUEUE_HOST = "queue.fal.run"
