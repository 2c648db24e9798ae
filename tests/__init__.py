"""The test suite (a package, so its folders import by full name and shadow nothing)."""
