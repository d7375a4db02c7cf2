"""ScoreGate shim for ``azureml.contrib.services.aml_response`` (AMLResponse)."""

from scoregate_host.aml import AMLResponse  # noqa: F401

__all__ = ["AMLResponse"]
