"""URLs of the register's files: Excel roster and posts, LRMX forms, the printed form."""

from django.urls import path

from xuanren.register import io_views

urlpatterns = [
    path("roster/export.xlsx", io_views.roster_export, name="roster_export"),
    path("roster/template.xlsx", io_views.roster_template, name="roster_template"),
    path("roster/import/", io_views.roster_import, name="roster_import"),
    path("posts/export.xlsx", io_views.posts_export, name="posts_export"),
    path("posts/template.xlsx", io_views.posts_template, name="posts_template"),
    path("posts/import/", io_views.posts_import, name="posts_import"),
    path("cadres/<int:pk>/lrmx/", io_views.cadre_lrmx, name="cadre_lrmx"),
    path("cadres/<int:pk>/form.pdf", io_views.cadre_form_pdf, name="cadre_form_pdf"),
    path("lrmx/import/", io_views.lrmx_import, name="lrmx_import"),
]
