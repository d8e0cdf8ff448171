"""Contact details and identifiers: what is redacted, as what, and what is not (no false redactions)."""

from __future__ import annotations

import pytest

import coeval as ce
from coeval.privacy import find_identifiers


@pytest.fixture(scope="module")
def ps():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ce.Pseudonymiser()


@pytest.mark.parametrize("text, expected", [
    ("Call me on 07700 900123 tomorrow", "Call me on [phone] tomorrow"),
    ("ring +44 20 7946 0958 or (0113) 496 0123", "ring [phone] or [phone]"),
    ("+33 1 42 68 53 00 in Paris", "[phone] in Paris"),
    ("NHS number 943 476 5919 ok", "NHS number [nhs-number] ok"),
    ("I live at 14 Oak Road, M14 5TQ now", "I live at [address], [postcode] now"),
    ("Flat 3, 22 Kingsley Street, Leeds LS6 1AB", "[address], Leeds [postcode]"),
    ("write to amina@example.org", "write to [email]"),
])
def test_contact_details_are_redacted_as_what_they_are(ps, text, expected):
    assert ps.text(text)[0] == expected


@pytest.mark.parametrize("text", [
    "see doi 10.1080/0142159X.2020.1755030 and https://doi.org/10.1136/bmj.m1234567",
    "my ORCiD is 0000-0002-3785-8057.",
    "ISBN 978-0-19-953556-9 and 9780199535569",
    "on 2026-03-14 at 10:30, 14/03/2026 11:45:00",
    "it cost £1,250,000 or 1,250,000.00",
    "page 123456789 of the report, reference 2024/123456789, version 1.2.3.4567890",
    "NHS number 943 476 5918 (a wrong check digit)",
])
def test_numbers_that_are_not_phones_are_left_alone(ps, text):
    assert ps.text(text) == (text, [])


def test_the_report_gate_finds_every_kind():
    kinds = {k for k, _ in find_identifiers("Ring 0161 496 0000, NHS 943 476 5919, at 14 Oak Road, M14 5TQ, "
                                            "or amina@example.org.")}
    assert kinds == {"phone", "nhs", "address", "postcode", "email"}
