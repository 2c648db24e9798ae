"""The influencersoft backend: its client, field typing and wire helpers."""
