from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("konto/", views.account, name="account"),
    path("konto/kalendernyckel/", views.renew_calendar_token, name="renew_calendar_token"),
    path("e-post/avsluta/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "folj/<str:target>/<int:pk>/",
        views.follow,
        name="follow",
    ),
    path("folj/bekrafta/<str:token>/", views.follow_confirm, name="follow_confirm"),
    path("folj/sluta/<str:token>/", views.unfollow, name="unfollow"),
    path("kalender/namnder/<int:pk>.ics", views.board_calendar, name="board_calendar"),
    path(
        "kalender/kommuner/<slug:slug>.ics",
        views.municipality_calendar,
        name="municipality_calendar",
    ),
    path(
        "kalender/<str:token>/namnder/<int:pk>.ics",
        views.private_board_calendar,
        name="private_board_calendar",
    ),
    path(
        "kalender/<str:token>/kommuner/<slug:slug>.ics",
        views.private_municipality_calendar,
        name="private_municipality_calendar",
    ),
]
