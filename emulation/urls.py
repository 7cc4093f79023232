"""Emulation pages under /emulation/ (namespace "emulation"), one module per part.

Movements, awards and downloads come before the bloc-year patterns (/emulation/<bloc>/<year>/…)
so that their fixed prefixes are never read as a bloc code.
"""

from . import urls_awards, urls_exports, urls_scoring, urls_years

app_name = "emulation"

urlpatterns = [
    *urls_awards.urlpatterns,
    *urls_exports.urlpatterns,
    *urls_years.urlpatterns,
    *urls_scoring.urlpatterns,
]
