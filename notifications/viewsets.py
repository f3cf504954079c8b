"""“Tin đã gửi” (sent messages) in the Wagtail admin: every message with its channel, state and
error; auditors see all, unit managers those to officers of their subtree; a failed message can
be retried (the same row and idempotency key)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton

from organizations.scope import scope_filter
from organizations.viewsets import scoped_views

from . import services
from .models import Message, MessageState

INDEX_VIEWS = scoped_views("officer__unit__path")


class MessageIndexView(INDEX_VIEWS["index_view_class"]):
    page_title = gettext_lazy("Sent messages")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("officer")

    # Messages are written by the system: no add, edit, copy or delete.
    def get_add_url(self):
        return None

    def get_edit_url(self, instance):
        return None

    def get_copy_url(self, instance):
        return None

    def get_delete_url(self, instance):
        return None

    def get_list_buttons(self, instance):
        buttons = list(super().get_list_buttons(instance))
        if instance.state == MessageState.FAILED and self.permission_policy.user_has_permission(
            self.request.user, "change"
        ):
            buttons.append(
                ListingButton(
                    _("Retry"),
                    url=reverse("notifications_messages:retry", args=[instance.pk]),
                    icon_name="rotate",
                    attrs={"data-retry": instance.pk},
                    priority=5,
                )
            )
        return buttons


@require_POST
def retry_view(request, pk: int):
    if not request.user.has_perm("notifications.change_message"):
        raise PermissionDenied
    message = Message.objects.filter(scope_filter(request.user, "officer__unit__path"), pk=pk).first()
    if message is None:
        raise Http404
    if services.retry_message(message):
        messages.success(request, _("The message will be sent again."))
    else:
        messages.warning(request, _("Only a failed message can be retried."))
    return redirect("notifications_messages:index")


class MessageViewSet(ModelViewSet):
    model = Message
    url_prefix = "notifications/messages"
    url_namespace = "notifications_messages"
    icon = "mail"
    menu_label = gettext_lazy("Sent messages")
    menu_order = 420
    add_to_admin_menu = True
    list_display = [
        "created_at",
        "kind",
        "officer",
        "channel",
        "address",
        "state",
        "attempts",
        Column("error", label=gettext_lazy("error")),
    ]
    list_filter = {
        "kind": ["exact"],
        "channel": ["exact"],
        "state": ["exact"],
        "created_at": ["date__gte", "date__lte"],
    }
    inspect_view_enabled = True
    inspect_view_fields = [
        "kind", "officer", "channel", "address", "state", "attempts", "next_attempt_at", "error",
        "provider_message_id", "idempotency_key", "subject", "body", "params", "created_at", "sent_at",
        "delivered_at",
    ]  # fmt: skip
    copy_view_enabled = False
    form_fields = ["kind"]  # never shown: the add and edit screens are not routed
    index_view_class = MessageIndexView
    inspect_view_class = INDEX_VIEWS["inspect_view_class"]
    history_view_class = INDEX_VIEWS["history_view_class"]
    usage_view_class = INDEX_VIEWS["usage_view_class"]

    def get_urlpatterns(self):
        # Messages are written by the system, not typed in: no add, edit or delete screens.
        keep = {"index", "index_results", "inspect", "history", "usage"}
        patterns = [p for p in super().get_urlpatterns() if getattr(p, "name", None) in keep]
        return [*patterns, path("retry/<int:pk>/", retry_view, name="retry")]
