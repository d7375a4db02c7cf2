"""Base class of the parameter types: a sample value, its type, conversion and schema."""


class AbstractParameterType:
    def __init__(self, sample_input):
        self.sample_input = sample_input
        self.sample_data_type = type(sample_input)

    def needs_conversion(self, value):
        """Whether the decorator must convert ``value`` (it is not already of the sample's type)."""
        return not isinstance(value, self.sample_data_type)

    def deserialize_input(self, input_data):
        raise NotImplementedError

    def input_to_swagger(self):
        raise NotImplementedError

    def supported_versions(self):
        return ["2.0", "3.0", "3.1"]
