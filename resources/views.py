from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.cache import public_page
from resources import services
from resources.forms import ResourceFilterForm, SuggestResourceForm
from resources.registry import resource_panels
from resources.selectors import filter_public_resources, public_resource

PAGE_SIZE = 25


@public_page(form=ResourceFilterForm, query=("page",))
@require_GET
def resource_list(request: HttpRequest) -> HttpResponse:
    form = ResourceFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    page = Paginator(filter_public_resources(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "resources/list.html", {"form": form, "page": page, "querystring": query.urlencode()})


@public_page
@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = public_resource(slug)
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "themes": list(resource.themes.all()),
            # What higher apps add (the local reports citing it): resources.registry.
            "panels": resource_panels.render(resource, request=request),
        },
    )


@require_GET
def resource_file(request: HttpRequest, slug: str) -> FileResponse:
    """A published resource's file, with the type read from its bytes when it was stored."""
    resource = public_resource(slug)
    if not resource.file:
        raise Http404("This resource has no file")
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The file is missing") from missing
    name = resource.file.name.rsplit("/", 1)[-1]
    inline = resource.file_content_type == "application/pdf"
    return FileResponse(handle, content_type=resource.file_content_type, as_attachment=not inline, filename=name)


@login_required
def suggest(request: HttpRequest) -> HttpResponse:
    """Organizers suggest a resource; it stays out of every public place until the national team publishes it."""
    form = SuggestResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        resource = form.save(commit=False)
        try:
            services.suggest_resource(
                resource, by=request.user, themes=form.cleaned_data["themes"], upload=form.cleaned_data.get("file")
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Thank you. The national team will check the resource before it appears in the library.")
            )
            return redirect("resources:list")
    return render(request, "resources/suggest.html", {"form": form}, status=400 if form.errors else 200)
