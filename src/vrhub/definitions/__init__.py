"""Serious-violence definitions, kept as YAML data beside this file."""

from vrhub.definitions.classify import add_classifications, describe, exclusion_effect, predicate
from vrhub.definitions.model import (
    DEFINITIONS_ENV,
    Definition,
    builtin_definitions,
    definitions,
    get_definition,
    load_definition,
    user_definitions,
)

__all__ = [
    "DEFINITIONS_ENV",
    "Definition",
    "add_classifications",
    "builtin_definitions",
    "definitions",
    "describe",
    "exclusion_effect",
    "get_definition",
    "load_definition",
    "predicate",
    "user_definitions",
]
