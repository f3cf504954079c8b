"""Plain-text forms of problems and summaries (the command line and e-mails)."""

from django.utils.translation import gettext as _


def format_problem(problem: dict) -> str:
    return _("Sheet “%(sheet)s”, row %(row)s, column %(column)s: %(message)s") % {
        "sheet": problem["sheet"],
        "row": problem["row"] if problem["row"] is not None else "—",
        "column": problem["column"],
        "message": problem["message"],
    }


def format_summary(summary: dict) -> str:
    return "\n".join(
        [
            _("Units: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "created": summary["units_created"],
                "updated": summary["units_updated"],
                "unchanged": summary["units_unchanged"],
            },
            _("Officers: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "created": summary["officers_created"],
                "updated": summary["officers_updated"],
                "unchanged": summary["officers_unchanged"],
            },
            _("Roles: %(opened)s opened, %(closed)s closed, %(unchanged)s unchanged.")
            % {
                "opened": summary["roles_opened"],
                "closed": summary["roles_closed"],
                "unchanged": summary["roles_unchanged"],
            },
        ]
        + (
            [
                _("Of the roles closed, %(count)s belong to officers who are not in the file:")
                % {"count": summary["roles_closed_absent"]}
            ]
            if summary.get("roles_closed_absent")
            else []
        )
    )


def format_closed_role(item: dict) -> str:
    return _("%(officer)s (%(code)s): %(role)s — %(unit)s, ends %(end)s") % {
        **item,
        "code": item["code"] or "—",
    }


def format_update(item: dict) -> str:
    """An updated unit or officer with what changes: “Name (code): Header: now → in the file; …”."""
    changes = "; ".join(f"{header}: {before} → {after}" for header, before, after in item.get("changes", []))
    return f"{item['name']} ({item['code'] or '—'}): {changes}"
