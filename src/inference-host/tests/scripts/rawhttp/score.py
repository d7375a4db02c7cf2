"""A @rawhttp script: reads the raw request, answers with its own status, headers and body."""
from azureml.contrib.services.aml_request import AMLRequest, rawhttp
from azureml.contrib.services.aml_response import AMLResponse


def init():
    pass


@rawhttp
def run(request):
    mode = request.args.get("mode")
    if request.method == "GET":
        return {"method": "GET", "x": request.args.get("x"), "xs": request.args.getlist("x")}
    if request.method == "OPTIONS":
        return AMLResponse("", 204, {"Access-Control-Allow-Origin": "*"})
    if mode == "json":
        return AMLResponse({
            "content_type": request.content_type,
            "header": request.headers.get("x-custom-header"),
            "header_upper": request.headers["X-CUSTOM-HEADER"],
            "json": request.get_json(),
            "full_path": request.full_path,
            "path": request.path,
            "is_aml_request": isinstance(request, AMLRequest),
        }, 200, json_str=True)
    if mode == "nocontent":
        return AMLResponse("this body must not be sent", 204, {"X-Evil": "a\r\nInjected: yes"})
    if mode == "needjson":
        return request.get_json()  # 415 when the body is not declared as JSON
    if mode == "form":
        f = request.files["upload"]
        return {"field": request.form.get("field"), "filename": f.filename, "size": len(f.read())}
    body = request.get_data(False)
    return AMLResponse(bytes(reversed(body)), 201, {"Content-Type": "application/octet-stream",
                                                     "X-Body-Length": str(len(body))})
