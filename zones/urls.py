"""Board and zone pages (filled by the pages work)."""

app_name = "zones"
urlpatterns = []
