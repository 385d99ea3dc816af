"""Breathing space's SQL, one store per table group, each constructed with the transaction's session.

Statements are built once (module constants); rows come back as frozen dataclasses with real types. Where a
rule must also be SQL (which moratoria are due to end, which debts the search considers, which customers are
worth scoring) the predicate sits in its store beside a reference to its domain twin.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.breathing_space.stores.customers import CustomerStore
from services.breathing_space.stores.debts import DebtStore
from services.breathing_space.stores.documents import ReceivedDocumentStore
from services.breathing_space.stores.holds import HoldStore
from services.breathing_space.stores.matches import PendingMatchStore
from services.breathing_space.stores.moratoria import MoratoriumStore
from services.breathing_space.stores.notifications import NotificationStore
from services.breathing_space.stores.reports import DebtsReportStore
from services.breathing_space.stores.review_requests import ReviewRequestStore
from shared.persistence.stores import StoresOfOneTransaction


@dataclass(frozen=True)
class BreathingSpaceStores(StoresOfOneTransaction):
    """Breathing space's stores bound to one transaction."""

    documents: ReceivedDocumentStore
    notifications: NotificationStore
    moratoria: MoratoriumStore
    holds: HoldStore
    matches: PendingMatchStore
    reports: DebtsReportStore
    customers: CustomerStore
    debts: DebtStore
    review_requests: ReviewRequestStore
