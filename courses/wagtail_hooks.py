from wagtail import hooks

from .viewsets import LearningViewSetGroup


@hooks.register("register_admin_viewset")
def register_learning_viewsets():
    return LearningViewSetGroup()
