from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("xuanren.web.urls")),
    path("accounts/", include("xuanren.accounts.urls")),
    path("register/", include("xuanren.register.urls")),
    path("record/", include("xuanren.record.urls")),
    path("ballots/", include("xuanren.ballots.urls")),
    path("campaigns/", include("xuanren.campaigns.urls")),
    path("vote/", include("xuanren.ballots.vote_urls")),
    path("policies/", include("xuanren.policies.urls")),
    path("public/", include("xuanren.portal.urls")),
    path("supervision/", include("xuanren.supervision.urls")),
    path("competition/", include("xuanren.competition.urls")),
    path("admin/", admin.site.urls),
]
