"""Who acts on write-offs is the person the identity provider signed in: their subject, name, roles and council
come from the token. The demo people of approvers.demo.yaml (the local provider's write-off users) each hold
roles their council's bands or the service name, so each can do what the demo shows."""

from __future__ import annotations

from pathlib import Path

import yaml

from services.writeoff.approvers import Person, acting_roles
from services.writeoff.domain import BANDS_DIRECTORY, load_every_council_policy
from shared.auth import Principal

POLICIES = load_every_council_policy(BANDS_DIRECTORY)
DEMO_PEOPLE = Path(__file__).resolve().parents[3] / "services" / "writeoff" / "approvers.demo.yaml"


def a_principal(**claims: object) -> Principal:
    return Principal.from_claims({"sub": "derby.director", "name": "Director of Finance (s.151)", **claims})


def test_the_person_is_the_tokens_subject_with_its_roles_and_council() -> None:
    person = Person.of(
        a_principal(preferred_username="derby.director", roles=["director_of_finance"], council="derby"),
        "nelc",
    )
    assert person.person_id == "derby.director"
    assert person.council == "derby"
    assert person.roles == frozenset({"director_of_finance"})
    assert person.recorded_as == "Director of Finance (s.151) (derby.director)"


def test_a_token_naming_no_council_acts_for_the_services_council() -> None:
    assert Person.of(a_principal(roles=["auditor"]), "derby").council == "derby"


def test_every_demo_person_holds_a_role_that_acts_in_their_councils_write_offs() -> None:
    people = yaml.safe_load(DEMO_PEOPLE.read_text(encoding="utf-8"))["approvers"]
    roles = acting_roles(POLICIES)
    for person in people:
        assert set(person) == {"person_id", "name", "council", "roles"}, person["person_id"]
        assert person["council"] in POLICIES, person["person_id"]
        assert set(person["roles"]) <= roles, person["person_id"]


def test_the_band_roles_of_every_council_act_on_write_offs() -> None:
    roles = acting_roles(POLICIES)
    assert {"director_of_finance", "section_151_officer", "write_off_officer", "committee_clerk"} <= roles
    assert "auditor" not in roles
