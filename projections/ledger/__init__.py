"""The village ledger: a double-entry journal per collective on the chart in force.

tables.py: the journal; postings.py: the posting table; projection.py: the event handlers;
queries.py: trial balance, account statement, balance as of a date.
"""
