"""Parameter types: StandardPython, Numpy, Pandas (same module paths as inference-schema)."""
