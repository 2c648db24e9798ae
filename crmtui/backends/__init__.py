"""Vendor backends: the contract (base.py), specs, capabilities, the registry, one folder each."""
