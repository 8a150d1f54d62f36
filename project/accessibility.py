"""The accessibility statement (tillgänglighetsredogörelse) that lagen (2018:1937)
om tillgänglighet till digital offentlig service requires, in the shape of DIGG's
model. Who stands behind the installation and whom to contact are settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.views.generic import TemplateView


class AccessibilityView(TemplateView):
    template_name = "accessibility.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            body=settings.ACCESSIBILITY_BODY,
            email=settings.ACCESSIBILITY_EMAIL,
            phone=settings.ACCESSIBILITY_PHONE,
            assessed=settings.ACCESSIBILITY_ASSESSED,
            **kwargs,
        )
