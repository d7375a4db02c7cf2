"""ScoreGate shim for ``azureml.core``: only what scoring scripts use at serving time (Model)."""

from .model import Model  # noqa: F401
