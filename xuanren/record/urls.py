from django.urls import path

from xuanren.record import views

app_name = "record"
urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("checkpoint/", views.checkpoint_text, name="checkpoint"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/review/", views.review, name="review"),
    path("campaigns/<int:campaign_id>/", views.campaign, name="campaign"),
    path("campaigns/<int:campaign_id>/materials/", views.upload, name="upload"),
    path("campaigns/<int:campaign_id>/archive/", views.archive, name="archive"),
    path("campaigns/<int:campaign_id>/candidates/<int:candidate_id>/", views.record_form, name="record_form"),
    path(
        "campaigns/<int:campaign_id>/candidates/<int:candidate_id>/record-form.docx",
        views.record_form_docx,
        name="record_form_docx",
    ),
    path(
        "campaigns/<int:campaign_id>/candidates/<int:candidate_id>/record-form.pdf",
        views.record_form_pdf,
        name="record_form_pdf",
    ),
    path("materials/<int:pk>/", views.material, name="material"),
]
