from organizations.scope import is_auditor, is_manager


def navigation(request):
    """Which sections the navigation shows, by the user's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"signed_in": False}}
    return {
        "nav": {
            "signed_in": True,
            "auditor": is_auditor(user),
            "manager": is_manager(user),
            "editor": user.has_perm("wagtailadmin.access_admin"),
            "learner": hasattr(user, "officer"),
        }
    }
