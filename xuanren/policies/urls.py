from django.urls import path

from xuanren.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("diff/", views.policy_diff, name="diff"),
    path("sandbox/", views.sandbox, name="sandbox"),
    path("upload/", views.policy_upload, name="upload"),
    path("holidays/", views.holidays, name="holidays"),
    path("holidays/delete/", views.holiday_delete, name="holiday_delete"),
    # Fixed paths above; policy ids that would shadow them are refused (actions.RESERVED_IDS).
    path("<slug:policy_id>/", views.policy_latest, name="latest"),
    path("<slug:policy_id>/<int:version>/", views.policy_detail, name="detail"),
]
