"""Benchmarks: synthetic roadmaps (synth.py) and the timing script (run.py); see README.md."""
