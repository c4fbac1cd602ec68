"""Output kinds, one module each; `registry` lists them (nothing is imported here: import the module you use)."""
