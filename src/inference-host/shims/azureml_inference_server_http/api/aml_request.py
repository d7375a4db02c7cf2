"""ScoreGate shim for ``azureml_inference_server_http.api.aml_request`` (AMLRequest, rawhttp)."""

from scoregate_host.aml import AMLRequest, rawhttp  # noqa: F401

__all__ = ["AMLRequest", "rawhttp"]
