from django.urls import path

from . import feeds, views

app_name = "alerts"
urlpatterns = [
    path("benachrichtigen/", views.subscription_new, name="new"),
    path("benachrichtigen/gesendet/", views.subscription_sent, name="sent"),
    path("benachrichtigen/bestaetigen/<str:token>/", views.subscription_confirm, name="confirm"),
    path("benachrichtigen/abo/<str:token>/", views.subscription_manage, name="manage"),
    path("benachrichtigen/abmelden/<str:token>/", views.subscription_unsubscribe,
         name="unsubscribe"),
    path("feeds/meldungen.atom", feeds.ReportsAtomFeed(), name="reports-atom"),
    path("feeds/meldungen.rss", feeds.ReportsRssFeed(), name="reports-rss"),
    path("feeds/rat.atom", feeds.CouncilAtomFeed(), name="council-atom"),
    path("feeds/rat.rss", feeds.CouncilRssFeed(), name="council-rss"),
]
