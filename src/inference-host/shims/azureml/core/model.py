"""ScoreGate shim for ``azureml.core.model``: ``Model.get_model_path`` for SDK v1 scoring scripts.

Azure's v1 SDK, inside a deployment, looks for a model in its local cache
``azureml-models/<name>/<version>/`` (the latest version when none is given), whose single
entry is the model file or folder, and else for ``./<name>``; it raises when neither exists.
ScoreGate lays the model out under AZUREML_MODEL_DIR with the model's file or folder name
kept, so the lookup here is, in order:

1. ``$AZUREML_MODEL_DIR/<name>/<version or latest>/`` holding exactly one entry -> that entry
   (the v1 cache layout, when a deployment carries it);
2. ``$AZUREML_MODEL_DIR/<name>`` -> that file or folder (the model keeps its name), then
   ``$AZUREML_MODEL_DIR/<folder>/<name>`` when exactly one folder holds it (not in v1: it
   serves v1 scripts that name their model file while the model is deployed as a folder);
3. ``$AZUREML_MODEL_DIR`` holding exactly one entry -> that entry (v1's single-model rule:
   AZUREML_MODEL_DIR is the version folder of the one deployed model);
4. ``./azureml-models/<name>/<version>/`` (single entry) and ``./<name>``, relative to the
   working directory (the code folder), as v1 probes them;

and otherwise ModelNotFoundException naming where it looked. ``version`` must be an int,
as in v1. Registering, downloading and deploying models need a workspace; they are not here.
"""

import os


class WebserviceException(Exception):
    def __init__(self, message, *args, **kwargs):
        super().__init__(message)
        self.message = message


class ModelNotFoundException(WebserviceException):
    pass


def _latest_version(names):
    versions = [int(n) for n in names if n.isdigit()]
    return max(versions) if versions else None


def _single_entry(folder):
    entries = [e for e in os.listdir(folder) if not e.startswith(".")]
    return os.path.join(folder, entries[0]) if len(entries) == 1 else None


def _from_cache(root, model_name, version):
    """v1's ``<root>/<name>/<version>/<single entry>``, or None."""
    named = os.path.join(root, model_name)
    if not os.path.isdir(named):
        return None
    chosen = version if version is not None else _latest_version(os.listdir(named))
    if chosen is None:
        return None
    version_dir = os.path.join(named, str(chosen))
    if not os.path.isdir(version_dir):
        return None
    return _single_entry(version_dir)


class Model:
    """The v1 ``Model`` class, reduced to what a scoring script calls while serving."""

    def __init__(self, workspace=None, name=None, id=None, version=None, **kwargs):  # noqa: A002
        self.workspace = workspace
        self.name = name
        self.id = id
        self.version = version

    @staticmethod
    def get_model_path(model_name, version=None, _workspace=None):
        if version is not None and not isinstance(version, int):
            raise WebserviceException("version should be an int")
        if not model_name:
            raise WebserviceException("model_name is None")
        tried = []
        model_dir = os.environ.get("AZUREML_MODEL_DIR")
        if model_dir and os.path.isdir(model_dir):
            found = _from_cache(model_dir, model_name, version)
            tried.append(os.path.join(model_dir, model_name, str(version or "<latest>")))
            if found:
                return found
            candidate = os.path.join(model_dir, model_name)
            if os.path.exists(candidate):
                return candidate
            tried.append(candidate)
            # ScoreGate layout where the model is a folder: $AZUREML_MODEL_DIR/<folder>/<name>.
            nested = [os.path.join(model_dir, e, model_name) for e in sorted(os.listdir(model_dir))
                      if os.path.exists(os.path.join(model_dir, e, model_name))]
            if len(nested) == 1:
                return nested[0]
            tried.append(os.path.join(model_dir, "*", model_name))
            found = _single_entry(model_dir)
            if found:
                return found
            tried.append(model_dir + " (holds more than one entry)")
        found = _from_cache("azureml-models", model_name, version)
        tried.append(os.path.join(os.getcwd(), "azureml-models", model_name))
        if found:
            return found
        if version is None and os.path.exists(model_name):
            return model_name
        tried.append(os.path.join(os.getcwd(), model_name))
        raise ModelNotFoundException("Model %s%s not found; looked at: %s" % (
            model_name, "" if version is None else " version %d" % version, ", ".join(tried)))
