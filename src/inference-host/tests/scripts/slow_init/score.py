import os
import time


def init():
    time.sleep(float(os.environ.get("SLOW_INIT_SECONDS", "2")))


def run(raw_data):
    return "ready"
