"""Answers that must read the same whether an identifier is held outside a manager's units or by
nobody (docs/roster-import.md, “What a manager's upload says about people and units elsewhere”)."""

from django.utils.translation import gettext as _


def bad_unit_code(code: str) -> str:
    return _(
        "“%(code)s” is not a valid unit code: write 1 to 20 characters, letters A–Z without accents, "
        "digits and dashes (-)."
    ) % {"code": code[:40]}


def not_your_code() -> str:
    return _(
        "No officer of your units has this officer code. For a new officer leave the code empty: "
        "officer codes are given by the Propaganda and Education Department."
    )


def email_blocked() -> str:
    return _(
        "This e-mail address cannot be used for an officer of your units. If it is right, "
        "ask the Propaganda and Education Department."
    )


def phone_blocked() -> str:
    return _(
        "This phone number cannot be used for an officer of your units. If it is right, "
        "ask the Propaganda and Education Department."
    )


def not_your_unit() -> str:
    return _("This unit code is not one of your units.")


def unit_code_blocked() -> str:
    return _(
        "This unit code cannot be used for a new unit of yours. If it is right, "
        "ask the Propaganda and Education Department."
    )
