"""Breathing space domain: the notification format, request authentication, the period rules, the
Moratorium aggregate, matching the debtor, the debt search and hold confirmation bookkeeping. No I/O.
"""
