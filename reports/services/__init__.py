"""Writes of the reports app, one module per aggregate (import the module: `from reports.services import builds`).

builds (compute and store report snapshots), staleness (mark what a change can alter, rebuild it),
plans (annual targets), approval (a board's period approved, reopened; the ministry's acceptance),
corrections (changing a locked licence event), downloads (the Excel summary as a job, downloads logged),
deadlines (the reminders of the reporting deadlines).
"""
