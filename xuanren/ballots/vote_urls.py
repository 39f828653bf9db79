from django.urls import path

from xuanren.ballots import vote_views

app_name = "vote"
urlpatterns = [
    path("", vote_views.vote, name="vote"),
    path("trackers/", vote_views.trackers, name="trackers"),
]
