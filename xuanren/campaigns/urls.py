from django.urls import path

from xuanren.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("probation-reminders/", views.probation_reminders, name="probation_reminders"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/candidates/<int:candidate_pk>/", views.candidate_detail, name="candidate"),
    path("<int:pk>/meetings/<int:meeting_pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/online/", views.online_list, name="online_list"),
    path("<int:pk>/online/<int:submission_pk>/", views.online_review, name="online_review"),
    path("<int:pk>/notices/<int:notice_pk>/notice.docx", views.notice_docx, name="notice_docx"),
    path("<int:pk>/meetings/<int:meeting_pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path(
        "<int:pk>/candidates/<int:candidate_pk>/procedure-form.docx",
        views.procedure_form_docx,
        name="procedure_form_docx",
    ),
]
# One page per action: /campaigns/<pk>/<action>/, /campaigns/<pk>/candidates/<id>/<action>/, ...
_PREFIX = {
    "campaign": "<int:pk>/",
    "candidate": "<int:pk>/candidates/<int:candidate_pk>/",
    "meeting": "<int:pk>/meetings/<int:meeting_pk>/",
}
urlpatterns += [
    path(_PREFIX[page.scope] + page.path, views.ACTION_VIEWS[page.name], name=page.name)
    for page in views.ACTION_PAGES
]
