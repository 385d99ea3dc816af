"""What an officer types is read as the services need it, and every mistake is named on its own field."""

from __future__ import annotations

from datetime import date

from services.workbench.domain.forms import FormErrors, choice_from, date_from, pence_from, text_from


def test_a_date_is_read_from_its_three_boxes():
    errors = FormErrors()
    fields = {"review-on-day": "27", "review-on-month": "3", "review-on-year": "2027"}
    assert date_from(fields, "review-on", "the review date", errors, required=True) == date(2027, 3, 27)
    assert not errors


def test_an_empty_optional_date_is_none_and_an_empty_required_one_is_an_error_on_its_day_box():
    errors = FormErrors()
    assert date_from({}, "starts-on", "the start date", errors, required=False) is None
    assert not errors
    assert date_from({}, "review-on", "the review date", errors, required=True) is None
    assert errors.by_field == {"review-on-day": "Enter the review date"}


def test_a_part_date_names_the_missing_part_and_an_impossible_date_is_refused():
    errors = FormErrors()
    date_from({"d-day": "3", "d-year": "2027"}, "d", "the date", errors, required=True)
    assert errors.by_field == {"d-month": "The date must include a month"}
    errors = FormErrors()
    date_from({"d-day": "31", "d-month": "2", "d-year": "2027"}, "d", "the date", errors, required=True)
    assert errors.by_field == {"d-day": "The date must be a real date"}


def test_pounds_become_pence_exactly_and_bad_amounts_are_refused():
    errors = FormErrors()
    assert pence_from({"a": "£1,234.50"}, "a", "the amount", errors, required=True) == 123_450
    assert pence_from({"a": "12"}, "a", "the amount", errors, required=True) == 1_200
    assert not errors
    for typed, message in (
        ("-1", "The amount must be 0 or more"),
        ("1.234", "The amount must be in pounds and pence, like 125.50"),
        ("ten", "The amount must be an amount of money, like 125.50"),
    ):
        errors = FormErrors()
        assert pence_from({"a": typed}, "a", "the amount", errors, required=True) is None
        assert errors.by_field == {"a": message}


def test_text_and_choices_must_be_given_and_the_summary_links_each_error_to_its_field():
    errors = FormErrors()
    text_from({"reason": "   "}, "reason", "the reason", errors)
    choice_from({"kind": "breathing_space"}, "kind", {"dispute": "Dispute"}, "Select why", errors)
    assert errors.summary() == [
        {"text": "Enter the reason", "href": "#reason"},
        {"text": "Select why", "href": "#kind"},
    ]
