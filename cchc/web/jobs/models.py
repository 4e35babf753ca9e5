"""A job as its owner follows it: what, how far, the file when ready, or why it failed."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobState(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang chạy"
    DONE = "done", "Đã xong"
    FAILED = "failed", "Không thành công"


class Job(models.Model):
    # Not guessable: the id is in the page's address, and only the owner may open it anyway.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    params = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    step = models.CharField(max_length=200, blank=True)  # what it is doing now, in Vietnamese
    error = models.TextField(blank=True)  # why it failed, in Vietnamese
    summary = models.TextField(blank=True)  # what it did, when there is no file
    file = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created"], name="job_user_created")]

    @property
    def over(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def unclaimed(self) -> bool:
        """Queued for more than half a minute: no worker is taking jobs (none started?)."""
        waited = timezone.now() - self.created
        return self.state == JobState.QUEUED and waited > timedelta(seconds=30)
