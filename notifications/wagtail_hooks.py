from wagtail import hooks

from .viewsets import MessageViewSet


@hooks.register("register_admin_viewset")
def register_message_viewset():
    return MessageViewSet()
