"""Serious-violence definitions, kept as YAML data beside this file."""

from vrhub.definitions.classify import add_classifications, describe, predicate
from vrhub.definitions.model import Definition, builtin_definitions, get_definition, load_definition

__all__ = [
    "Definition",
    "add_classifications",
    "builtin_definitions",
    "describe",
    "get_definition",
    "load_definition",
    "predicate",
]
