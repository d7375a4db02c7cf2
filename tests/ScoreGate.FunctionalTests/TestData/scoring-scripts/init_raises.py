"""init() fails: the instance must stay not ready, and say why."""


def init():
    raise RuntimeError("the model file is corrupt")


def run(raw_data):
    return "never reached"
