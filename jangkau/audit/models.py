from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or delete an audit event through the ORM."""


class AuditEvent(models.Model):
    """One recorded action. Events are chained: ``hash`` covers this event and the previous event's hash.

    ``seq`` counts from 1 without gaps, so a deleted event shows as a missing number and a changed one as
    a hash that no longer matches (``manage.py audit_verify``).
    """

    seq = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who acted, as text, so the record reads on its own ("requester", "system", a username).
    actor_label = models.CharField(_("pelaku"), max_length=150)
    action = models.CharField(_("tindakan"), max_length=80)
    office = models.ForeignKey(
        "offices.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("kantor")
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        verbose_name=_("kasus"),
    )
    changes = models.JSONField(_("perubahan"), default=dict)
    source_ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    # The keyed digest of ``changes`` and ``source_ip`` that the chain links (see ``chain.payload_digest``).
    payload_digest = models.CharField(max_length=64, default="")
    # Set when anonymisation erased the payload's personal data; a later event names the erasure.
    redacted_at = models.DateTimeField(_("dianonimkan pada"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["case", "seq"]), models.Index(fields=["office", "occurred_at"])]
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("jejak audit")

    def __str__(self):
        return f"#{self.seq} {self.action} {self.actor_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")


class PersonalDataViews(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(action=PersonalDataView.ACTION)


class PersonalDataView(AuditEvent):
    """The audit events that record a staff member opening a case's personal data (UU 27/2022): who, when,
    which case and why. A view of the trail of its own, so the administrator reads the access log without
    sifting every other event."""

    ACTION = "case.personal_data_viewed"

    objects = PersonalDataViews()

    class Meta:
        proxy = True
        verbose_name = _("akses data pribadi")
        verbose_name_plural = _("log akses data pribadi")


class ChainHead(models.Model):
    """The single row that holds the newest event's number and hash.

    Locking it serialises writers, so two concurrent actions cannot both chain onto the same event; it
    also lets verification notice that the newest events were deleted.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self):
        return f"head #{self.last_seq}"
