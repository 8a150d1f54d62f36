"""The delivery-status webhook of the one provider this installation sends through.

Only that provider's tracking URL is mounted (``ANYMAIL_TRACKING_ESP``, by default
the provider in ``EMAIL_BACKEND``): every other provider's URL is a 404, not a
door. anymail checks the basic-auth secret and answers 400 when it does not match;
a body the provider's parser cannot read is answered 400 here too, never 500.
"""

from __future__ import annotations

import logging
from importlib import import_module

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)


def tracking_view(esp: str):
    module = import_module(f"anymail.webhooks.{esp}")
    name = next(n for n in dir(module) if n.endswith("TrackingWebhookView") and "Base" not in n)
    inner = getattr(module, name).as_view()

    @csrf_exempt
    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return inner(request, *args, **kwargs)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
            logger.warning("Malformed %s webhook refused: %r", esp, error)
            return HttpResponseBadRequest("Malformed webhook payload")

    return view


def tracking_urls(esp: str) -> list:
    if not esp:
        return []
    return [path(f"anymail/{esp}/tracking/", tracking_view(esp), name=f"{esp}_tracking")]
