"""Around the class, not in it: the pre-flight check, the kit's JupyterHub and the benchmarks."""
