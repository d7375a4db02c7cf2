"""A raw HTTP script: answers the body reversed, with its own status and headers."""
from azureml_inference_server_http.api.aml_request import AMLRequest, rawhttp
from azureml_inference_server_http.api.aml_response import AMLResponse


def init():
    pass


@rawhttp
def run(request: AMLRequest):
    if request.method != "POST":
        return AMLResponse("send the bytes with POST", 405)
    body = request.get_data(False)
    headers = {
        "Content-Type": "application/octet-stream",
        "X-Body-Length": str(len(body)),
        "X-Caller": request.headers.get("X-Caller", "unknown"),
        "X-Mode": request.args.get("mode", "none"),
    }
    return AMLResponse(bytes(reversed(body)), 201, headers)
