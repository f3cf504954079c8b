
app_name = "learn"
urlpatterns: list = []
