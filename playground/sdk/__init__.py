"""Everything that touches huggingface_hub's internals: where it sends requests (`urls`: apply, redirected, rewrite;
used by the app, the simulator's tests and the test replays) and its private names (`internals`), so an SDK upgrade
is this package's work. Nothing is imported here: import the module you use."""
