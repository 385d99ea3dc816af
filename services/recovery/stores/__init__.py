"""Recovery's SQL, one store per table group, each constructed with the transaction's session; rows come back as
frozen dataclasses. `RecoveryStores.on(session)` gathers them for one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from services.recovery.stores.arrangements import ArrangementStore
from services.recovery.stores.benefit_deductions import BenefitDeductionStore
from services.recovery.stores.case_record import CaseRecordStore
from services.recovery.stores.cases import CaseStore
from services.recovery.stores.court_results import CourtResultStore
from services.recovery.stores.court_results_files import CourtResultsFileStore
from services.recovery.stores.customers import CustomerStore
from services.recovery.stores.daily_runs import DailyRunStore
from services.recovery.stores.exhausted_cases import ExhaustedCaseStore
from services.recovery.stores.holds import HoldStore
from services.recovery.stores.instalments import InstalmentStore
from services.recovery.stores.letters import LetterStore
from services.recovery.stores.moratoria import BreathingSpaceNoticeStore
from services.recovery.stores.proof_of_debt import ProofOfDebtStore
from services.recovery.stores.steps import StepStore
from shared.persistence.stores import StoresOfOneTransaction


@dataclass(frozen=True)
class RecoveryStores(StoresOfOneTransaction):
    """Every recovery store, bound to one transaction."""

    cases: CaseStore
    record: CaseRecordStore
    holds: HoldStore
    steps: StepStore
    customers: CustomerStore
    moratoria: BreathingSpaceNoticeStore
    arrangements: ArrangementStore
    daily_runs: DailyRunStore
    instalments: InstalmentStore
    court_results: CourtResultStore
    court_results_files: CourtResultsFileStore
    letters: LetterStore  # letters as posted, print runs (issue 16)
    proofs_of_debt: ProofOfDebtStore  # proof of debt asked of originating services, and answers (issue 20)
    benefit_deductions: BenefitDeductionStore  # HB overpayments asked of the benefits system (NELC 7.2)
    exhausted_cases: ExhaustedCaseStore  # cases whose timetable ran out, waiting for an officer (issue 19)
