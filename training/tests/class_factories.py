from datetime import date, time
from decimal import Decimal

import factory

from training.models import ClassSession, InPersonClass


class InPersonClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InPersonClass

    title = "Tập huấn kỹ năng viết tin bài trên mạng xã hội"
    topic = "Truyền thông số"
    start_date = date(2026, 3, 10)
    end_date = date(2026, 3, 11)
    place = "Hội trường LĐLĐ quận Ba Đình"
    hours = Decimal("8.0")
    counts_toward_requirement = True
    grants_certificate = False


class ClassSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassSession

    in_person_class = factory.SubFactory(InPersonClassFactory)
    date = date(2026, 3, 10)
    start_time = time(8, 0)
    end_time = time(11, 30)
