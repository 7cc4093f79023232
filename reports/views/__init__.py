"""Pages of the reports app, one module per aggregate (routes: reports/urls.py).

reports (choose, read, compare a report, its drill-down, rebuild, the ministry's acceptance, the catalogue),
approval (a board's periods and their approval, reopening), corrections, deadlines, exports (the Excel
summary as a job, and what the task page shows of the reports' jobs), plans.
"""
