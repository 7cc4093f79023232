"""Template context shared by every page: the navigation the signed-in user's role allows."""

from zones import access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": None}
    return {
        "nav_role": access.role_label(user),
        "nav_is_admin": user.is_superuser,
        # Lazy: the query runs only when the template asks (pages without the navigation skip it).
        "nav_can_import": lambda: access.can_write_any_board(user),
    }
