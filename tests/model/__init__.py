"""Tests of the pure data model."""
