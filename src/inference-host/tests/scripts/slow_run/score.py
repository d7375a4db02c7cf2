"""run() that sleeps as long as the request asks, after touching a marker file: for the host's bound on run() calls."""
import json
import time


def run(raw_data):
    request = json.loads(raw_data)
    if request.get("marker"):
        open(request["marker"], "w").close()  # run() has started: the slot is taken
    time.sleep(float(request.get("sleep", 0)))
    return "done"
