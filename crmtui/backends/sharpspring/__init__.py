"""The sharpspring backend: its client, field typing and wire helpers."""
