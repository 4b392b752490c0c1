app_name = "councilmap"
urlpatterns: list = []
