"""ScoreGate shim for ``azureml_inference_server_http.api.aml_response`` (AMLResponse)."""

from scoregate_host.aml import AMLResponse  # noqa: F401

__all__ = ["AMLResponse"]
