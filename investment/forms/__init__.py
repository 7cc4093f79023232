"""The forms of the investment pages, one module per aggregate: projects, licences, enterprise_reports."""
