"""The OpenAPI 2.0 document served at GET /swagger.json.

As on Azure: a ``swagger.json`` (or ``swagger2.json``) in the code folder is served as
it is; otherwise the document is generated. When run() carries inference_schema
decorators, ServiceInput/ServiceOutput are the schemas built from their samples;
otherwise they are open objects. SERVICE_NAME, SERVICE_VERSION and SERVICE_PATH_PREFIX
name the service and prefix the paths, as Azure's server reads them.
"""

import json
import os

_ERROR = {"description": "The service failed to execute due to an error.",
          "schema": {"$ref": "#/definitions/ErrorResponse"}}


def user_swagger(app_root):
    for name in ("swagger.json", "swagger2.json"):
        path = os.path.join(app_root, name)
        if os.path.isfile(path):
            with open(path, "r", encoding="utf-8") as f:
                return json.load(f)
    return None


def build(script):
    """The document for ``script`` (a ScoringScript, possibly not loaded)."""
    found = user_swagger(script.app_root)
    if found is not None:
        return found
    name = os.environ.get("SERVICE_NAME") or "ML service"
    version = os.environ.get("SERVICE_VERSION") or "1.0"
    prefix = os.environ.get("SERVICE_PATH_PREFIX", "").strip("/")
    prefix = "/" + prefix if prefix else ""
    input_schema, output_schema = script.schemas()
    if input_schema is None:
        input_schema = {"type": "object", "example": {}}
    if output_schema is None:
        output_schema = {"type": "object", "example": {}}
    score = {
        "post": {
            "operationId": "RunMLService",
            "description": "Run the web service's model and get the prediction output",
            "security": [{"Bearer": []}],
            "parameters": [{
                "name": "serviceInputPayload",
                "in": "body",
                "description": "The input payload for the real-time machine learning service.",
                "schema": {"$ref": "#/definitions/ServiceInput"},
            }],
            "responses": {
                "200": {"description": "The prediction output of the model.",
                        "schema": {"$ref": "#/definitions/ServiceOutput"}},
                "default": _ERROR,
            },
        }
    }
    return {
        "swagger": "2.0",
        "info": {"title": name, "description": "API specification for the service %s" % name, "version": version},
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "securityDefinitions": {"Bearer": {"type": "apiKey", "name": "Authorization", "in": "header",
                                           "description": "For example: Bearer abc123"}},
        "paths": {
            prefix + "/": {"get": {
                "operationId": "ServiceHealthCheck",
                "description": "Liveness: answers 'Healthy' while the service runs.",
                "responses": {"200": {"description": "The service is up.", "schema": {"type": "string"},
                                      "examples": {"application/json": "Healthy"}},
                              "default": _ERROR}}},
            prefix + "/score": score,
            prefix + "/swagger.json": {"get": {
                "operationId": "GetSwaggerSpec",
                "description": "This OpenAPI document.",
                "responses": {"200": {"description": "The OpenAPI 2.0 document.", "schema": {"type": "object"}},
                              "default": _ERROR}}},
        },
        "definitions": {
            "ServiceInput": input_schema,
            "ServiceOutput": output_schema,
            "ErrorResponse": {"type": "object", "properties": {"message": {"type": "string"}}},
        },
    }
