"""The exceptions of the tops package.

Every error the C++ library raises arrives as a subclass of :class:`Error` with the library's
message unchanged (the same text the ``tops`` command prints before exiting with code 2). The
subclass says at which stage it happened, so a caller can catch what it can act on.
"""


class Error(Exception):
    """Base class of every error tops raises."""


class ModelError(Error):
    """The model could not be read: no such file, not a model tops reads, malformed or
    truncated content. The message names the file (or the label given for bytes) and, where it
    applies, the byte offset."""


class OptionError(Error, ValueError):
    """An option is malformed: an input shape, a dim or value binding, a precision, a
    scenario or a format the library does not accept."""


class AnalysisError(Error, ValueError):
    """The model and the options could not be analysed together: an input or dim the model
    does not have, a frame rate, utilisation or power mode out of range, a graph that cannot be
    ordered."""


class ChipError(Error, LookupError):
    """No chip of the catalog has this id or alias."""


class CatalogError(Error):
    """A chip file given with ``chip_files`` does not parse or contradicts the catalog."""


class MissingDependencyError(Error, ImportError):
    """An optional Python package a function needs (PyTorch for ``from_torch``, pandas for
    ``to_pandas``) is not installed; the message says which Debian package brings it."""


class ExportError(Error):
    """``torch.onnx.export`` failed on the module; PyTorch's own exception is chained."""


# Tracebacks and reprs name the classes where users import them from: tops.ChipError, not
# tops._errors.ChipError (pickle finds them there too).
for _cls in (Error, ModelError, OptionError, AnalysisError, ChipError, CatalogError,
             MissingDependencyError, ExportError):
    _cls.__module__ = "tops"
del _cls

__all__ = ["Error", "ModelError", "OptionError", "AnalysisError", "ChipError", "CatalogError",
           "MissingDependencyError", "ExportError"]
