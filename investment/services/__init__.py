"""The writers of investment, one module per aggregate; nothing else writes.

projects (zone, kind, sector, investors; the project row's lock and audit), licences (registration and
the licence ledger), enterprise_reports, exchange_rates, and bulk (the workbook's thousands of licence
and report rows at once, same semantics). Import the module you call: `from investment.services import
licences`.
"""
