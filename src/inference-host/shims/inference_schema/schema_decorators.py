"""``@input_schema`` and ``@output_schema`` (inference-schema's decorators).

``@input_schema(name, ParameterType(sample), convert_to_provided_type=True)`` records the
schema of parameter ``name`` and, when the decorated function is called (by the host with
keyword arguments, or directly with positional or keyword arguments), converts the value
given for ``name`` to the declared type (e.g. a list to a numpy array). A value that cannot
be converted raises ValueError; so does a call without a value for ``name`` when that
parameter has no default. ``@output_schema(ParameterType(sample))`` only records a schema.
"""

import functools
import inspect

from . import schema_util
from .parameter_types.abstract_parameter_type import AbstractParameterType


def _check_type(param_type):
    if not isinstance(param_type, AbstractParameterType):
        raise Exception("Error, provided param_type must be a subclass of the AbstractParameterType.")


def input_schema(param_name, param_type, convert_to_provided_type=True, optional=False):
    _check_type(param_type)

    def decorate(func):
        base = schema_util.base_function(func)
        signature = inspect.signature(base)
        if param_name not in signature.parameters:
            raise Exception('Error, provided param_name "%s" is not in the decorated function.' % param_name)
        parameter = signature.parameters[param_name]
        schema_util.register_input(func, param_name, param_type)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if convert_to_provided_type:
                bound = signature.bind_partial(*args, **kwargs)
                if param_name in bound.arguments:
                    value = bound.arguments[param_name]
                    if param_type.needs_conversion(value):
                        bound.arguments[param_name] = param_type.deserialize_input(value)
                    args, kwargs = bound.args, bound.kwargs
                elif parameter.default is inspect.Parameter.empty and not optional:
                    raise ValueError("A value is not provided for the %r parameter." % param_name)
            return func(*args, **kwargs)

        return wrapper

    return decorate


def output_schema(output_type):
    _check_type(output_type)

    def decorate(func):
        schema_util.register_output(func, output_type)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return func(*args, **kwargs)

        return wrapper

    return decorate
