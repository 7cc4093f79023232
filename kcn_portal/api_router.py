"""The one DRF router under /api/v1/ (filled by the API work)."""

urlpatterns = []
