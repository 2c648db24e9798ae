"""The cmdatamanager backend: its client, field typing and wire helpers."""
