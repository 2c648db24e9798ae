"""Faithful local emulators of the vendors: a SQLite store and one ASGI app per vendor."""
