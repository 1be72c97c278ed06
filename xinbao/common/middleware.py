"""Language choice: Simplified Chinese unless the person picked another language (PRODUCT 1).

Django's LocaleMiddleware also follows the browser's Accept-Language, which would show English pages to anyone on an
English-language browser in an office that works in Chinese. Pages therefore follow only the explicit choice (the
language cookie set by the switcher); API clients, which have no switcher, may ask with Accept-Language.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import trans_real


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):  # type: ignore[no-untyped-def]
        if request.path.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = settings.LANGUAGE_CODE
        if chosen:
            try:
                language = trans_real.get_supported_language_variant(chosen)
            except LookupError:
                language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):  # type: ignore[no-untyped-def]
        response = super().process_response(request, response)
        # The active language is thread-local; leaving it set would make whatever this thread runs next (another
        # request's early code, a task, a test) speak the previous person's language. A streamed response (an
        # .xlsx export) still renders after this point, so it keeps the language until the next request.
        if not response.streaming:
            translation.deactivate()
        return response
