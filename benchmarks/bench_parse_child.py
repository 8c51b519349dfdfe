"""Child entry point for bench_parse: one measurement per process (own peak RSS)."""
from benchmarks.bench_parse import biopython_read, parse_and_load, parse_only


def main(kind: str, *args: str) -> dict:
    return {"parse": parse_only, "load": parse_and_load, "bio": biopython_read}[kind](*args)
