from django.db import models


class FloorRow(models.Model):
    """One row per floor request: what the least a submission can cost writes."""

    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name
