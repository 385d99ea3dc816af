"""Customer search for the officers' workbench: each customer's search words (name and every address, each
postcode whole and in halves; `domain.customer_search.customer_search_words`) under a GIN index, so a query's
words are found in any order; invoice or PCN numbers found without regard to case, spaces or hyphens; and the
single view's reads of a customer's allocations, payments, credit notes and refunds on indexes.

Existing customers get their words here, from the identity they are stored with.

Revision ID: billing_0009
Revises: billing_0008
"""

import sqlalchemy as sa
from alembic import op

from services.billing.domain.customer_search import customer_search_words
from services.billing.parties import customer_identity, stored_party

revision = "billing_0009"
down_revision = "billing_0008"
branch_labels = None
depends_on = None

_BATCH = 5000


def upgrade() -> None:
    op.execute("ALTER TABLE billing.customer ADD COLUMN search_words text[] NOT NULL DEFAULT '{}'")
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT customer_id, identity FROM billing.customer")).all()
    for start in range(0, len(rows), _BATCH):
        connection.execute(
            sa.text("UPDATE billing.customer SET search_words = :words WHERE customer_id = :customer_id"),
            [
                {
                    "customer_id": row.customer_id,
                    "words": customer_search_words(customer_identity(stored_party(row.identity))),
                }
                for row in rows[start : start + _BATCH]
            ],
        )
    op.execute("CREATE INDEX customer_search_words ON billing.customer USING gin (search_words)")
    op.execute(
        "CREATE INDEX debt_reference_as_searched ON billing.debt "
        "((upper(regexp_replace(external_reference, '[\\s-]+', '', 'g'))))"
    )

    # the single view reads a customer's allocations, payments, credit notes and refunds by debt or customer
    op.execute("CREATE INDEX allocation_debt ON billing.allocation (debt_id)")
    op.execute("CREATE INDEX payment_customer ON billing.payment (customer_id)")
    op.execute("CREATE INDEX credit_note_debt ON billing.credit_note (debt_id)")
    op.execute("CREATE INDEX refund_customer ON billing.refund (customer_id)")


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
