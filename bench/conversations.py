"""Realistic multi-turn conversations for the load test, as scripts that answer what is asked.

A script is a list of opening messages; after them, the simulated person
answers each triage question the assistant asks the way the web widget's
buttons do ("/deny", "/affirm") or in a few words ("3 weeks", "4", "52"),
until an outcome or a turn limit. The questions are recognised from the
response texts in domain.yml, so the same scripts drive any model trained on
that domain, whatever it predicts.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.e2e.chat import recognise

# what a person with a weeks-old, activity-limiting knee ache answers (physio outcome)
BUTTON_ANSWERS = {
    "utter_ask_screen_emergency": "/deny",
    "utter_ask_screen_same_day": "/deny",
    "utter_ask_injury": "/deny",
    "utter_ask_screen_ottawa": "/deny",
    "utter_ask_screen_gp_soon": "/deny",
    "utter_ask_pain_duration_days": "3 weeks",
    "utter_ask_limits_activity": "/affirm",
    "utter_ask_alters_gait": "/deny",
    "utter_ask_pain_score": "4",
    "utter_ask_age": "52",
    # after a yes to a screening list: "which one?" ("More than one / not sure")
    **{f"utter_ask_which_{screen}_sign": '/inform{"sign_pick": "several"}'
       for screen in ("emergency", "same_day", "ottawa", "gp_soon")},
}
MAX_FORM_TURNS = 12


@dataclass(frozen=True)
class Script:
    name: str
    openings: tuple[str, ...]
    answers_questions: bool = False  # then answer the triage questions
    closing: tuple[str, ...] = ()


SCRIPTS: tuple[Script, ...] = (
    Script("faq", ("hello", "why does my knee hurt when I walk?",
                   "is it ok to keep walking with arthritis in my knee?", "thanks")),
    Script("triage-buttons", ("hi", "/start_triage"), answers_questions=True,
           closing=("/book_appointment",)),
    Script("triage-described", ("my right knee has been aching on walks for a while",),
           answers_questions=True, closing=("thank you", "bye")),
    Script("faq-then-triage", ("what shoes are best for sore knees",
                               "how far should I walk with knee pain",
                               "can you check my symptoms"), answers_questions=True),
)




def next_answer(reply_texts: list[str]) -> str | None:
    """The button or short answer to the last triage question in a reply, if any."""
    questions = [name for name in recognise(reply_texts) if name in BUTTON_ANSWERS]
    return BUTTON_ANSWERS[questions[-1]] if questions else None
