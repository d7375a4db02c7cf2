def init():
    pass


def run(raw_data):
    if raw_data == "ok":
        return "fine"
    raise ValueError("bad input: expected 'ok'")
