import module_that_does_not_exist_scoregate  # noqa: F401


def init():
    pass


def run(raw_data):
    return "never"
