"""The write-off service's SQL, one store per aggregate, each constructed with the transaction's session:
statements built once (class-level `text(...)`), rows returned as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass

from services.writeoff.stores.debtors import DebtorStore
from services.writeoff.stores.decisions import DecisionStore
from services.writeoff.stores.declarations import DeclarationStore
from services.writeoff.stores.panel_findings import PanelFindingStore
from services.writeoff.stores.reinstatements import ReinstatementStore
from services.writeoff.stores.requests import RequestStore
from services.writeoff.stores.schedule_history import ScheduleHistoryStore
from services.writeoff.stores.schedules import ScheduleStore
from services.writeoff.stores.standing import StandingStore
from services.writeoff.stores.write_offs import WriteOffStore
from shared.persistence.stores import StoresOfOneTransaction


@dataclass(frozen=True)
class WriteOffStores(StoresOfOneTransaction):
    """The stores of one transaction."""

    standing: StandingStore
    debtors: DebtorStore
    requests: RequestStore
    schedules: ScheduleStore
    schedule_history: ScheduleHistoryStore
    panel_findings: PanelFindingStore
    decisions: DecisionStore
    declarations: DeclarationStore
    write_offs: WriteOffStore
    reinstatements: ReinstatementStore
