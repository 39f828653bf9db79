from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xuanren.accounts"
    label = "accounts"
    verbose_name = "账户与辖区"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from xuanren.accounts.roles import sync_role_groups

        # After every app's migrations: permissions of later apps exist only once theirs have run.
        post_migrate.connect(sync_role_groups, dispatch_uid="xuanren_sync_role_groups")
