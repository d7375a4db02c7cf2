"""run() that sleeps as long as the request asks: for the host's bound on run() calls."""
import json
import time


def run(raw_data):
    time.sleep(float(json.loads(raw_data).get("sleep", 0)))
    return "done"
