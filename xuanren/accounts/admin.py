from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from xuanren.accounts.models import Jurisdiction, User


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    search_fields = ("code", "name")


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("辖区与动态口令", {"fields": ("display_name", "jurisdiction", "totp_confirmed")}),
    )
    list_display = ("username", "display_name", "jurisdiction", "is_superuser")
