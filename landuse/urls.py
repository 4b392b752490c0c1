app_name = "landuse"
urlpatterns: list = []
