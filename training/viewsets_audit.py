VIEWSETS: list = []  # Requirement rules and closed years in the Wagtail admin
