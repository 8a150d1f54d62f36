"""Acting from an e-mail link (placeholder until the confirm pages land)."""

from django.http import Http404


def link_open(request, token: str):
    raise Http404
