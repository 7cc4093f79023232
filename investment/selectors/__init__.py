"""The reads of investment, one module per aggregate, each scoped by zones.access (the user is an argument):
projects, licences (the ledger), enterprise_reports (and a board's quarter), exchange_rates. Import the
module you call: `from investment.selectors import licences`.
"""
