"""Management information the council's policies ask billing for (Sundry 10, NELC 3.10 and 5.19-5.22, RBWM
report 5): the collection KPIs by month and financial year, aged debt by service and directorate, the bad debt
provision by age of debt, and the monthly budget-holder review of debts over 90 and 120 days.

Domain rules are plain functions (`policy`, `periods`, `kpis`, `directorates`, `provision`, `reviews`); the SQL is
in `services/billing/stores/management_information.py`; `reports` joins the two; `http` and `commands` serve
them; `arrangements` keeps recovery's arrangements as billing's own projection; `wiring` plugs it all into
billing's bootstrap.
"""
