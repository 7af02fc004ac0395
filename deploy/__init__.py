"""Deployment: templates for nginx and systemd, and `make prod-check` (docs/deployment.md)."""
