from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("xuanren.web.urls")),
    path("accounts/", include("xuanren.accounts.urls")),
    path("register/", include("xuanren.register.urls")),
    path("admin/", admin.site.urls),
]
