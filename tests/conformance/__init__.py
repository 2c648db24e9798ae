"""Conformance: public vendor examples replayed against our emulators, compared by shape."""
