"""The supervision desk's addresses, under ``/supervision/``."""

from django.urls import path

from xuanren.supervision import views

app_name = "supervision"
urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("report/", views.report, name="report"),
    path("report.xlsx", views.report_xlsx_view, name="report_xlsx"),
    path("trace/", views.appointments, name="appointments"),
    path("trace/<int:pk>/<int:candidate_pk>/", views.trace, name="trace"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/attachments/<int:material_pk>/", views.attachment, name="attachment"),
    path("complaints/<int:pk>/verify/", views.verify, name="verify"),
    path("complaints/<int:pk>/conclude/", views.conclude, name="conclude"),
    path("complaints/<int:pk>/answer/", views.answer, name="answer"),
]
