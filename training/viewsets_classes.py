VIEWSETS: list = []  # In-person classes in the Wagtail admin
