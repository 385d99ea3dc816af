"""A revenues officer records a payment taken at the counter from the single view: billing is sent the amount in
pence, the method, the receipt and the debts the payer named (never who recorded it: billing takes that from the
token); each missing or wrong answer is named at its field, and billing's refusal is shown with its reason."""

from __future__ import annotations

from tests.unit.workbench.fake_services import FakeServices
from tests.unit.workbench.samples import CUSTOMER_ID, DEBT_SUNDRY, DEBT_TAX
from tests.unit.workbench.test_pages import services, site

__all__ = ["services"]

FORM = f"/customers/{CUSTOMER_ID}/counter-payment"


def counter_payments(services: FakeServices) -> list[dict]:
    return [asked for name, asked in services.asked if name == "record_counter_payment"]


async def test_the_form_offers_the_customer_s_debts_to_direct_the_payment_to(services: FakeServices):
    async for client in site(services, "revenues_officer"):
        page = (await client.get(FORM)).text
    assert 'name="amount"' in page and 'name="method"' in page and 'name="receipt-reference"' in page
    assert f'value="{DEBT_TAX}"' in page and f'value="{DEBT_SUNDRY}"' in page
    assert "Council tax CT400017: £1,200.00 (open)" in page


async def test_a_counter_payment_directed_to_a_debt_goes_to_billing_in_pence(services: FakeServices):
    async for client in site(services, "revenues_officer"):
        answer = await client.post(
            FORM,
            data={
                "amount": "£125.50",
                "method": "cash",
                "receipt-reference": "R-1001",
                "debt-ids": DEBT_SUNDRY,
            },
        )
    assert answer.status_code == 303, answer.text
    assert "Counter+payment+of+%C2%A3125.50+recorded%2C+receipt+R-1001" in answer.headers["location"]
    [asked] = counter_payments(services)
    assert asked["customer_id"] == CUSTOMER_ID
    assert asked["amount_pence"] == 125_50 and asked["method"] == "cash"
    assert asked["receipt_reference"] == "R-1001"
    assert [str(d) for d in asked["directed_to"]] == [DEBT_SUNDRY]
    assert "recorded_by" not in asked  # billing takes the officer from the token


async def test_a_payment_the_payer_did_not_direct_is_left_to_billing_s_order(services: FakeServices):
    async for client in site(services, "senior_officer"):
        answer = await client.post(
            FORM, data={"amount": "20", "method": "card", "receipt-reference": "R-1002"}
        )
    assert answer.status_code == 303
    [asked] = counter_payments(services)
    assert asked["directed_to"] == [] and asked["amount_pence"] == 20_00


async def test_each_missing_answer_is_named_at_its_field_and_billing_is_not_asked(services: FakeServices):
    async for client in site(services, "revenues_officer"):
        answer = await client.post(FORM, data={"amount": "0", "receipt-reference": "R 1"})
    assert answer.status_code == 422
    page = answer.text
    assert "There is a problem" in page
    assert 'href="#amount"' in page and "The amount paid must be more than £0" in page
    assert 'href="#method"' in page and "Select how the payment was made" in page
    assert 'href="#receipt-reference"' in page and "must not contain spaces" in page
    assert 'value="R 1"' in page  # the officer's answers are kept
    assert not counter_payments(services)


async def test_billing_s_refusal_is_shown_with_its_reason(services: FakeServices):
    async for client in site(services, "revenues_officer"):
        answer = await client.post(
            FORM, data={"amount": "5", "method": "cash", "receipt-reference": "USED-1"}
        )
    assert answer.status_code == 422
    assert "receipt USED-1 was recorded for a different payment by Tom Hughes" in answer.text


async def test_a_receipt_recorded_before_says_nothing_changed(services: FakeServices):
    async for client in site(services, "revenues_officer"):
        answer = await client.post(
            FORM, data={"amount": "5", "method": "cash", "receipt-reference": "AGAIN-1"}
        )
    assert answer.status_code == 303
    assert "already+recorded" in answer.headers["location"]


async def test_the_auditor_and_specialist_officers_may_not_record_a_counter_payment(services: FakeServices):
    for role in ("auditor", "breathing_space_officer", "agents_officer", "operations"):
        async for client in site(services, role):
            assert (await client.get(FORM)).status_code == 403, role
            answer = await client.post(
                FORM, data={"amount": "5", "method": "cash", "receipt-reference": "R-9"}
            )
            assert answer.status_code == 403, role
    assert not counter_payments(services)
