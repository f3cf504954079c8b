from wagtail import hooks

from .audit import viewsets as viewsets_audit
from .classes import viewsets as viewsets_classes


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return [*viewsets_audit.VIEWSETS, *viewsets_classes.VIEWSETS]
