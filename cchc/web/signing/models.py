"""What was signed and how it was checked: the frozen versions, each signature, the rule.

A snapshot is the report as approved (its canonical data and fingerprint, and
the PDF made from it once someone downloads it for signing). Every upload is
recorded, refused ones too, with who, when, which version and the result; the
signed file is kept only when it is valid. The files are kept in the database,
so every application server sees the same ones.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cchc.web.reporting.models import Report, ReportingRound


class ReportSnapshot(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="snapshots")
    fingerprint = models.CharField(max_length=64, db_index=True)
    data = models.JSONField()  # cchc/core/snapshot.py, schema cchc.snapshot/1
    expected_signer = models.CharField("người ký", max_length=200)
    pdf = models.BinaryField(null=True, blank=True)  # made on the first download
    signature_box = models.JSONField(null=True, blank=True)  # layout.Box.to_json()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class SignatureKind(models.TextChoices):
    SIGNER = "signer", "Người có thẩm quyền ký"
    AGENCY = "agency", "Cơ quan ký (con dấu)"


class ReportSignature(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="signatures")
    snapshot = models.ForeignKey(
        ReportSnapshot, on_delete=models.CASCADE, related_name="signatures"
    )
    kind = models.CharField(max_length=8, choices=SignatureKind.choices)
    fingerprint = models.CharField(max_length=64)  # of the snapshot it was checked against
    file_name = models.CharField(max_length=255, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    valid = models.BooleanField(default=False)
    message = models.TextField(blank=True)  # why it was refused
    signer_name = models.CharField(max_length=300, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    certificate = models.JSONField(default=dict, blank=True)  # subject, issuer, serial
    pdf = models.BinaryField(null=True, blank=True)  # the signed file, when valid

    class Meta:
        ordering = ["-at", "-id"]


class RoundSigning(models.Model):
    """Whether a round's reports must carry a valid signed PDF to be submitted."""

    round = models.OneToOneField(
        ReportingRound, primary_key=True, on_delete=models.CASCADE, related_name="signing"
    )
    required = models.BooleanField("yêu cầu bản PDF đã ký số", default=False)
