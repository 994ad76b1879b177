"""Background work, run by ``manage.py db_worker``; the periodic ones are enqueued by ``manage.py scheduler``."""

from django_tasks import task

from . import delivery, reminders, watch


@task()
def deliver_message(message_id: int) -> str:
    return delivery.deliver(message_id)


@task()
def sweep_messages() -> int:
    return delivery.sweep()


@task()
def watch_steps() -> dict:
    return watch.sla_watch()


@task()
def send_reminders() -> dict:
    return reminders.send_reminders()
