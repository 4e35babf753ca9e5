"""The signing state on the report and round pages, without touching their views."""

from __future__ import annotations

from django import template

from cchc.web.reporting.workflow.permissions import reviews_for
from cchc.web.signing import services

register = template.Library()


@register.simple_tag
def report_signing(report):
    return {
        "state": services.signature_state(report),
        "required": services.round_requires_signature(report.round),
    }


@register.simple_tag(takes_context=True)
def round_signing(context, rnd):
    user = context["request"].user
    return {
        "required": services.round_requires_signature(rnd),
        "can_set": reviews_for(user, rnd.issuer_id),
    }
