from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "patientvoice.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .pagecache import watch_open_connections, watch_writes

        # Every connection notes its writes, whoever makes them, so visitors' stored
        # pages are forgotten after any change (decisions/0045).
        connection_created.connect(watch_writes, dispatch_uid="pv-page-cache-writes")
        watch_open_connections()
