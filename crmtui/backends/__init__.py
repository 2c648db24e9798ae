"""Vendor backends: the contract (base.py), one module per vendor, and a registry."""
