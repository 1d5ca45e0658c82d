from django.conf import settings
from django.shortcuts import render


class RequestSizeLimitMiddleware:
    """Refuse an oversized request (a 2 GB "video", say) from its Content-Length, before anything reads the body:
    the CSRF check and the form would otherwise receive the whole upload first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return render(request, "413.html", {"limit_mb": settings.MAX_REQUEST_BYTES // (1024 * 1024)}, status=413)
        return self.get_response(request)
