from django.urls import path

from xuanren.ballots import views

app_name = "ballots"
urlpatterns = [
    path("", views.poll_list, name="poll_list"),
    path("new/", views.poll_create, name="poll_create"),
    path("<int:pk>/", views.poll_detail, name="poll_detail"),
    path("<int:pk>/turnout/", views.poll_turnout, name="poll_turnout"),
    path("<int:pk>/codes/", views.poll_codes, name="poll_codes"),
    path("<int:pk>/open/", views.poll_open, name="poll_open"),
    path("<int:pk>/close/", views.poll_close, name="poll_close"),
    path("<int:pk>/tally/", views.poll_tally, name="poll_tally"),
    path("<int:pk>/paper/", views.paper_entry, name="paper_entry"),
    path("<int:pk>/paper/<int:paper_pk>/", views.paper_reconcile, name="paper_reconcile"),
    path("<int:pk>/sheet/", views.tally_sheet, name="tally_sheet"),
    path("<int:pk>/sheet.pdf", views.tally_sheet_pdf, name="tally_sheet_pdf"),
    path("<int:pk>/sign/", views.tally_sign, name="tally_sign"),
    path("<int:pk>/verify/", views.tally_verify, name="tally_verify"),
]
