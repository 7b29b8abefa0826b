from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "selko.audit"
    label = "audit"
    verbose_name = "Audit trail"
