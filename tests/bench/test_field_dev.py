"""Issue 14's thresholds on the field set's DEV split (bench/field.py, in-process).

Only the dev split is scored here: the test split is for `make bench`'s final
figures. Figures the assistant does not reach yet are marked xfail with the
dev value measured when the mark was set (not strict: they pass silently once
reached, and the mark should then be removed).
"""

from __future__ import annotations

import pytest

from bench import field
from runner.services import ROOT, latest_model

pytestmark = pytest.mark.skipif(
    not field.available(),
    reason="tests/field/load.py (the field set, issue 14 item 1) is not in this checkout yet",
)
NOT_YET = "not reached on dev yet (issue 14 item 8 features, issue 15 parser); dev was {}"


@pytest.fixture(scope="module")
def dev_score() -> field.FieldScore:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/: run `make train`")
    return field.score_model(latest_model(), "dev")


@pytest.mark.parametrize(
    "figure, floor",
    [
        pytest.param("faq_question_accuracy", 0.90,
                     marks=pytest.mark.xfail(reason=NOT_YET.format("82.2% of 278"))),
        ("faq_accuracy", 0.80),
        ("clinic_accuracy", 0.90),
        pytest.param("out_of_scope_accuracy", 0.90,
                     marks=pytest.mark.xfail(reason=NOT_YET.format("77.3%"))),
        pytest.param("routing_accuracy", 0.95,
                     marks=pytest.mark.xfail(reason=NOT_YET.format("94.5%"))),
    ],
)
def test_field_dev_accuracy_reaches_the_issue_floor(
    dev_score: field.FieldScore, figure: str, floor: float
) -> None:
    value = getattr(dev_score, figure)
    assert value is not None, f"no dev message for {figure}"
    assert value >= floor, f"{figure} {value:.1%} < {floor:.0%}"


@pytest.mark.xfail(reason=NOT_YET.format("1 (the parser reads a past sign as now)"))
def test_no_urgent_outcome_from_a_message_without_a_red_flag(dev_score: field.FieldScore) -> None:
    assert dev_score.urgent_without_red_flag == 0


def test_the_emergency_sign_is_seen_in_the_first_message(dev_score: field.FieldScore) -> None:
    assert dev_score.emergency_first_message is not None
    assert dev_score.emergency_first_message >= 0.95


def test_did_you_mean_is_asked_on_under_15_percent(dev_score: field.FieldScore) -> None:
    assert dev_score.clarification_rate is not None
    assert dev_score.clarification_rate < 0.15
