"""Benchmarks of the assistant against Rasa's stock configuration (`make bench`).

``python -m bench`` trains (or reuses) the baseline model, then runs our
assistant and the baseline one after the other through the same measurements
and writes a Markdown table and a plot to bench/results/. See bench/NOTES.md.
"""
