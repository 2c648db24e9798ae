"""A toy vendor package, installed by tests/ui/test_entry_point_vendor.py through an entry point."""
