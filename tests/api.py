"""Helpers for the API tests."""


def as_user(api_client, user):
    """The test's APIClient, authenticated as `user` (None: anonymous again)."""
    api_client.force_authenticate(user)
    return api_client
