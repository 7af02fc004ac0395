"""Entity parsing for the knee-pain assistant: free text in, ``Findings`` out.

A rule-based spaCy pipeline (``pipeline``) built from the phrase patterns in
``patterns/`` finds signs, cues and quantities; ``assertion`` applies negation
and uncertainty, ``measures`` reads durations, scores, ages and sides, and
``parse`` is the public entry point. Plain Python, no Rasa imports.
"""

from kneecare.language.parse import (
    parse,
    parse_duration_answer,
    parse_number_answer,
    parse_yes_no,
)

__all__ = ["parse", "parse_duration_answer", "parse_number_answer", "parse_yes_no"]
