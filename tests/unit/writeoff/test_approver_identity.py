"""Who may act: the approver directory (scrypt password hashes, roles from the council's bands) and signed
session tokens that cannot be forged, altered or used after they expire."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from services.writeoff.approvers import (
    COMMITTEE_CLERK,
    WRITE_OFF_OFFICER,
    ApproverDirectory,
    DirectoryError,
    hash_password,
    password_matches,
)
from services.writeoff.domain import load_every_council_policy
from services.writeoff.sessions import IdentityRefused, SessionSigner

DEMO_DIRECTORY = Path(__file__).resolve().parents[3] / "services" / "writeoff" / "approvers.demo.yaml"
KEY = b"a key of at least sixteen bytes"


def test_a_password_matches_only_its_own_hash():
    stored = hash_password("correct horse battery staple")
    assert stored.startswith("scrypt$")
    assert password_matches("correct horse battery staple", stored)
    assert not password_matches("correct horse battery stapler", stored)
    assert not password_matches("anything", "not a hash")


def test_two_hashes_of_one_password_differ_by_their_salt():
    assert hash_password("same password") != hash_password("same password")


def test_the_demo_directory_signs_people_in_and_their_roles_exist_in_their_councils_bands():
    directory = ApproverDirectory.load(DEMO_DIRECTORY)
    policies = load_every_council_policy()
    for person in directory.people.values():
        policy = policies[person.council]
        band_roles = {role for table in policy.tables for band in table.bands for role in band.roles}
        assert person.roles <= band_roles | {WRITE_OFF_OFFICER, COMMITTEE_CLERK, "requesting_officer"}, person
    assert directory.authenticate("derby.head", "demo-derby.head") is not None
    assert directory.authenticate("derby.head", "demo-derby.director") is None
    assert directory.authenticate("nobody", "demo-nobody") is None


def test_a_directory_with_faults_names_every_one(tmp_path):
    file = tmp_path / "approvers.yaml"
    file.write_text(
        "approvers:\n"
        "  - person_id: a\n    council: derby\n    roles: []\n    password_scrypt: x\n"
        "  - person_id: a\n    roles: [director_of_finance]\n    password_scrypt: 'scrypt$1'\n"
    )
    with pytest.raises(DirectoryError) as refused:
        ApproverDirectory.load(file)
    message = str(refused.value)
    assert "entry 1: roles must be a non-empty list" in message
    assert "entry 1: password_scrypt must be a scrypt hash" in message
    assert "entry 2: a appears twice" in message
    assert "entry 2: council is required" in message


def test_a_genuine_token_names_its_person():
    signer = SessionSigner(KEY, 3600)
    claims = signer.verify(signer.issue("derby.head", now=1000), now=2000)
    assert claims.person_id == "derby.head"
    assert claims.expires_at == 4600


def test_no_token_is_no_identity():
    with pytest.raises(IdentityRefused, match="no identity presented"):
        SessionSigner(KEY, 3600).verify(None)


def test_a_token_made_with_another_key_is_refused():
    forged = SessionSigner(b"another key, sixteen bytes+", 3600).issue("derby.director")
    with pytest.raises(IdentityRefused, match="signature does not verify"):
        SessionSigner(KEY, 3600).verify(forged)


def test_a_token_altered_to_name_someone_else_is_refused():
    signer = SessionSigner(KEY, 3600)
    version, payload, signature = signer.issue("derby.head").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "derby.director"
    altered = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(IdentityRefused, match="signature does not verify"):
        signer.verify(f"{version}.{altered}.{signature}")


def test_an_expired_token_is_refused():
    signer = SessionSigner(KEY, 60)
    token = signer.issue("derby.head", now=1000)
    with pytest.raises(IdentityRefused, match="expired"):
        signer.verify(token, now=1060)


@pytest.mark.parametrize("token", ["", "v1.only-two", "v2.a.b", "garbage"])
def test_a_malformed_token_is_refused(token):
    with pytest.raises(IdentityRefused):
        SessionSigner(KEY, 60).verify(token)


def test_a_form_token_is_bound_to_its_session():
    signer = SessionSigner(KEY, 60)
    assert signer.form_token("session-a") == signer.form_token("session-a")
    assert signer.form_token("session-a") != signer.form_token("session-b")
