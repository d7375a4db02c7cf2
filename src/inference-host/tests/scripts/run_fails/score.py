"""run() raises unless the body is "ok"; it also takes request_headers, as Azure allows."""


def init():
    pass


def run(raw_data, request_headers):
    if raw_data == "ok":
        return "fine"
    if raw_data == "headers":
        return {"probe": request_headers.get("X-Probe")}
    raise ValueError("bad input: expected 'ok'")
