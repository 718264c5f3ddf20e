"""Likely personal identifiers in free text: what refuses a case study's publication and what is redacted
from feedback before anyone but a programme manager reads it.

Patterns, not a guarantee: they catch the details people most often leave in a story or a message (a full
name beside an age, a house number and street, a phone number, an email address, a postcode). A person
still reads the text before it is published; the check stops the obvious slip, it does not replace them.
"""

from __future__ import annotations

import re

STREET_WORDS = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Cl|Drive|Dr|Way|Crescent|Cres|Grove|Gr|Place|Pl|Terrace|"
    "Court|Ct|Gardens|Gdns|Walk|Row|Square|Sq|Hill|Park|Mews|View|Rise|Parade"
)
# Each kind in words (as an error names it) and its pattern; the order is the order errors list them.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "a full name with an age",
        re.compile(r"\b[A-Z][a-z'-]+ [A-Z][a-z'-]+,?\s+(?:aged\s+)?\d{1,2}\b(?!\s*(?:%|per\b|percent))"),
    ),
    (
        "a house number and street",
        re.compile(rf"\b\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][a-z'-]+\s+){{1,3}}(?:{STREET_WORDS})\b\.?"),
    ),
    ("an email address", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    (
        "a phone number",
        re.compile(r"(?<![\w.])(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){9,10}(?!\w)"),
    ),
    (
        "a postcode",
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
    ),
]
REDACTED = "[removed]"


def find_identifiers(text: str) -> list[tuple[str, str]]:
    """(kind, what was found) for each likely identifier, in the order of PATTERNS then of the text."""
    found: list[tuple[str, str]] = []
    for kind, pattern in PATTERNS:
        found.extend((kind, m.group(0).strip()) for m in pattern.finditer(text or ""))
    return found


def describe(found: list[tuple[str, str]]) -> str:
    """'a full name with an age ("Tom Smith, 15") and a phone number ("07700 900123")'."""
    parts = [f'{kind} ("{what}")' for kind, what in found]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# What is redacted from feedback: contact details (a name alone is not caught, and an age is no contact).
CONTACT_KINDS = ("a house number and street", "an email address", "a phone number", "a postcode")


def redact(text: str) -> str:
    """The text with phone numbers, email addresses, postcodes and house addresses replaced by [removed]."""
    for kind, pattern in PATTERNS:
        if kind in CONTACT_KINDS:
            text = pattern.sub(REDACTED, text)
    return text
