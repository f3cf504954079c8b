from django.db import migrations

LEAD = (
    "Hệ thống bồi dưỡng kỹ năng truyền thông cho cán bộ Tuyên giáo, báo cáo viên, "
    "tuyên truyền viên và cộng tác viên dư luận xã hội của Công đoàn Thủ đô."
)
BODY = (
    "<p>Học các khóa kỹ năng viết trên mạng xã hội, tuyên truyền miệng, xây dựng hình ảnh "
    "cá nhân và truyền thông đa phương tiện; làm bài kiểm tra; tải giấy chứng nhận có mã QR "
    "để bất kỳ ai cũng kiểm tra được. Ban Tuyên giáo theo dõi kết quả thực hiện chỉ tiêu "
    "Chương trình 09/CTr-LĐLĐ theo từng đơn vị, từng năm.</p>"
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("lms.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    # Wagtail's own migration leaves a placeholder page at depth 2; replace it.
    Page.objects.filter(depth=2, content_type__model="page").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="lms")
    locale = Locale.objects.order_by("pk").first()
    root = Page.objects.get(depth=1)
    # Treebeard's API is not available in migrations: set the path by hand.
    homepage = HomePage.objects.create(
        title="Huấn luyện Công đoàn",
        draft_title="Huấn luyện Công đoàn",
        slug="home",
        content_type=content_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        lead=LEAD,
        body=BODY,
        live=True,
    )
    Page.objects.filter(pk=root.pk).update(numchild=1)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", root_page=homepage, is_default_site=True)


def remove_homepage(apps, schema_editor):
    apps.get_model("lms.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_homepage, remove_homepage)]
