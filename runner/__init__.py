"""Starts and stops the assistant's processes, for `make run` and for tests."""
