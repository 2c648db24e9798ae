"""Tests of the shared HTTP layer (not named http: that would shadow the standard library)."""
