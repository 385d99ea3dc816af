"""The billing service's domain: council debts, instalments, payments and their allocation, balances.

Plain functions and classes with no I/O, so the messaging and database wiring can call them and tests can
prove the council's rules directly.
"""
