"""The exam pages' addresses, under ``/competition/``."""

from django.urls import path

from xuanren.competition import views

app_name = "competition"
urlpatterns = [
    path("campaigns/<int:pk>/", views.rounds, name="rounds"),
    path("campaigns/<int:pk>/rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/examiners/", views.examiner_add, name="examiner_add"),
    path("rounds/<int:pk>/scores/", views.scores_enter, name="scores_enter"),
    path("rounds/<int:pk>/lock/", views.round_lock, name="round_lock"),
    path("rounds/<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("rounds/<int:pk>/correct/", views.score_correct, name="score_correct"),
]
