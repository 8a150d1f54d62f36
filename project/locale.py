"""Swedish first: the language is Swedish unless the person chose English.

Django's LocaleMiddleware would follow the browser's Accept-Language, and many
Swedish officials run browsers in English; the product's language of record is
Swedish, so only an explicit choice (the language cookie set by the switcher)
changes it.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
