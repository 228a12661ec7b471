"""The statements of the books (会计报表) in GraphQL: accountBalances, balanceSheet,
incomeStatement, generalLedger, detailLedger (docs/statements.md)."""
