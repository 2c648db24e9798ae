"""TOML profiles, secret references and file locations."""
