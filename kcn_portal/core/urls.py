"""Login, logout and home (filled by the pages work)."""

urlpatterns = []
