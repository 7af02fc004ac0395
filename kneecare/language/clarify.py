"""Whether to ask "Did you mean ...?" instead of answering an FAQ topic (issue 14).

As in Rasa's two-stage fallback: when the best FAQ topic is unsure (its share
among the topics is low) or barely ahead of the second, the assistant offers
the two as buttons with "Something else", instead of guessing. The thresholds
were chosen on the field set's dev split (bench/field.py, 257 messages): of the
pairs tried (0 to 0.5, 0 to 0.2) they asked on 1.6% of the messages, and three
in four of those asks replaced a wrong answer; looser pairs asked more often
but mostly on answers that were right.
"""

from __future__ import annotations

from collections.abc import Sequence

CLARIFY_INTENT = "clarify_faq"
# below this share of the topic model's probability, the best topic is a guess
LOW_CONFIDENCE = 0.30
# the best topic must lead the second by at least this much
CLOSE_MARGIN = 0.05
# the button title of each FAQ topic, in the person's terms
TOPIC_TITLES = {
    "faq/causes": "Why knees hurt when walking",
    "faq/oa_walking": "Walking with arthritis",
    "faq/body_weight": "Weight and knee pain",
    "faq/gait_retraining": "Changing the way I walk",
    "faq/when_to_see_physio": "When to see a physio",
    "faq/sports_massage": "Sports massage",
    "faq/private_vs_nhs": "Private or NHS physio",
    "faq/walking_distance": "How far to walk",
    "faq/footwear": "Shoes and insoles",
    "faq/prevention": "Preventing knee pain",
    "faq/treatment": "Treatment for knee pain",
    "faq/exercises": "Exercises for the knee",
    "faq/self_care": "Easing it at home",
}


def needs_clarification(confidences: Sequence[float]) -> bool:
    """``confidences``: the topic shares, best first."""
    if not confidences:
        return False
    second = confidences[1] if len(confidences) > 1 else 0.0
    return confidences[0] < LOW_CONFIDENCE or confidences[0] - second < CLOSE_MARGIN


def choices(topics: Sequence[str]) -> list[tuple[str, str]]:
    """The two best topics as (title, topic) pairs for the buttons."""
    return [(TOPIC_TITLES.get(topic, topic.partition("/")[2]), topic) for topic in topics[:2]]
