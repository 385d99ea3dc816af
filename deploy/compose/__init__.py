"""Compose-only helpers (Kubernetes has CronJobs for what these do)."""
