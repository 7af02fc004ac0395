"""The soak test: many long conversations at once, every message stored in order."""
