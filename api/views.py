from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from api import reference
from api.v1 import MAX_LIMIT, api
from portal.cache import public_page


@public_page
def api_reference(request: HttpRequest) -> HttpResponse:
    document = api.get_openapi_schema()
    return render(
        request,
        "api/reference.html",
        {
            "operations": reference.operations(document),
            "title": document["info"]["title"],
            "max_limit": MAX_LIMIT,
        },
    )
