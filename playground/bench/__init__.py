"""Load tests: many requests to one model on one or more providers, measured as vLLM's benchmark_serving and
llmperf define their figures (see `metrics`). `python -m playground bench --help` runs one from a shell."""
