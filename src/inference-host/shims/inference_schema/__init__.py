"""ScoreGate shim for the ``inference-schema`` package (decorators and parameter types).

Used only when the real package is not installed (the shims come last on sys.path).
"""
