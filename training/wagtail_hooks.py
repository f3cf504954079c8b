from wagtail import hooks

from . import viewsets_audit, viewsets_classes


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return [*viewsets_audit.VIEWSETS, *viewsets_classes.VIEWSETS]
