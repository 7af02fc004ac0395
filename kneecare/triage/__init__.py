"""Knee pain triage: the clinic's criteria as data plus small named predicates.

``criteria.yml`` is the table the lead physiotherapist signs off (levels, red
flags, physiotherapist criteria, thresholds, screening questions, each with its
source); ``predicates`` holds one small function per rule; ``answers`` gathers
what the person has said; ``assess`` decides the outcome and what to ask next.
No Rasa import anywhere: the Rasa actions are thin adapters over this package.
"""

from kneecare.triage.answers import TriageAnswers, merge
from kneecare.triage.assess import Outcome, assess, next_questions, red_flags
from kneecare.triage.criteria import Thresholds, load_criteria

__all__ = [
    "Outcome",
    "Thresholds",
    "TriageAnswers",
    "assess",
    "load_criteria",
    "merge",
    "next_questions",
    "red_flags",
]
