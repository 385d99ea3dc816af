"""The officers' workbench: one screen for the council's people over every service's HTTP API."""
