"""Invitations sent in the background. Tasks take ids and are idempotent."""

from celery import shared_task


# The name it had in organizations, so invitations queued before an upgrade are still sent.
@shared_task(name="organizations.tasks.send_invitations")
def send_invitations(invitation_ids: list[int]) -> dict:
    """Send a batch of invitations; failures are recorded on each invitation and counted here."""
    from .invitations import send_invitation_emails

    report = send_invitation_emails(invitation_ids=invitation_ids)
    return {"sent": report.sent, "failed": len(report.failed)}
