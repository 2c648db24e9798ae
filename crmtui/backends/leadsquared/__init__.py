"""The leadsquared backend: its client, field typing and wire helpers."""
