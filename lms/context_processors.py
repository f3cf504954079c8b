from accounts.mfa import account_facts


def navigation(request):
    """Which sections the navigation shows, by the user's role (one query, shared with the
    two-factor check: ``accounts.mfa.account_facts``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"signed_in": False}}
    facts = account_facts(user)
    return {
        "nav": {
            "signed_in": True,
            "auditor": facts["auditor"],
            "manager": facts["manager"],
            "editor": facts["may_open_admin"],
            "learner": facts["has_officer"],
        }
    }
