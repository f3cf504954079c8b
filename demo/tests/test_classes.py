"""The demo's in-person classes: last year and this, with attendance and history; seeded once."""

from training.models import InPersonClass, TrainingRecord


def test_demo_classes_are_seeded_once(db):
    from demo import organizations as roster_demo
    from demo.training import classes as demo_classes

    roster_demo.seed()
    demo_classes.seed()
    counts = (InPersonClass.objects.count(), TrainingRecord.objects.count())
    years = set(InPersonClass.objects.values_list("start_date__year", flat=True))
    demo_classes.seed()
    assert (InPersonClass.objects.count(), TrainingRecord.objects.count()) == counts
    assert counts[0] >= 6 and counts[1] > 100 and len(years) == 2
    assert TrainingRecord.objects.exclude(voided_at=None).exists()
    assert TrainingRecord.objects.filter(corrects__isnull=False).exists()
    assert TrainingRecord.objects.filter(officer__code="DEMO-HV").count() == 2
    assert InPersonClass.objects.filter(title__startswith="Tập huấn kỹ năng viết tin bài").exists()
    planned = InPersonClass.objects.get(title__endswith="(lớp theo danh sách chưa bồi dưỡng)")
    states = sorted(planned.invitations.values_list("state", flat=True))
    assert planned.capacity == 2 and states == ["accepted", "accepted", "invited"]
    assert planned.invitations.filter(officer__code="DEMO-HV", state="invited").exists()
