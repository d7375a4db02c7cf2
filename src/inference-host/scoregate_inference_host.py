"""Entry point: ``<python> scoregate_inference_host.py`` (configuration comes from the environment; see README.md)."""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
# The shims (azureml.*, inference_schema) go LAST: a real installed package is found first.
sys.path.append(os.path.join(_HERE, "shims"))

from scoregate_host.server import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
