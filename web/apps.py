from django.apps import AppConfig


class WebConfig(AppConfig):
    """The top floor: the pages that gather every app (home, login, workbook upload, task pages, navigation),
    the root URLconf and API router, the user admin with board memberships, and `seed_demo`. No models."""

    name = "web"
