import factory
from django.contrib.auth import get_user_model

from organizations.models import Gender, Officer, Role, RoleAssignment, Unit, UnitLevel


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    username = factory.LazyAttribute(lambda o: o.email)
    password = factory.django.Password("Secret-pass-123")

    @factory.post_generation
    def email_address(self, create, extracted, **kwargs):
        if create:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class UnitFactory(factory.django.DjangoModelFactory):
    """Builds units through treebeard: pass ``parent=`` for a child, omit it for a root."""

    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"Công đoàn cơ sở số {n}")
    level = UnitLevel.GRASSROOTS
    worker_count = 100

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return model_class.add_root(**kwargs)
        parent.refresh_from_db()
        return parent.add_child(**kwargs)


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    code = factory.Sequence(lambda n: f"O{n:06d}")
    family_name = "Nguyễn"
    middle_name = "Văn"
    given_name = factory.Iterator(["An", "Bình", "Cường", "Dũng", "Hà", "Lan"])
    gender = Gender.MALE
    unit = factory.SubFactory(UnitFactory)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    officer = factory.SubFactory(OfficerFactory)
    role = Role.PROPAGANDIST
    unit = factory.LazyAttribute(lambda o: o.officer.unit)
    start_date = factory.Faker("date_between", start_date="-5y", end_date="-1y")
