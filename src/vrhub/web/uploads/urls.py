app_name = "uploads"
urlpatterns: list = []
