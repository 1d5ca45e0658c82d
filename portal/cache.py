"""Whole-page caching of public pages, and its invalidation.

Most visits are anonymous reads of the same few pages; rendering them once a minute instead of on every request
is what lets a public page serve close to a static one. Only GET 200 responses rendered for an anonymous visitor,
without pending messages and without cookies being set, are stored, so nothing personal is ever cached.

Signed-in people read the same public pages (a public page shows everyone the same content), and used to get each
one rendered afresh, several times slower (issue 19). They now get the stored anonymous copy too, with the one
part of it that is theirs, the account menu between the `<!--account-nav-->` markers of base.html, drawn for them
on each request (templates/_account_nav.html). On a miss the page is rendered as for an anonymous visitor, stored,
and given their menu. Their answer is `private` (it names them) and is never compressed (BREACH: the menu holds a
CSRF token). A person with messages pending gets the page rendered for them, as before.

A withdrawn, rejected or narrowed testimony must leave every public place at once (DESIGN.md section 5), so a
cached page may not outlive the data it shows. Every stored page carries the *generation* it was rendered under, a
token kept in the cache and read in the same cache call as the page; any committed change to data a public page
reads draws a new token, and a page of another generation than the current one is never served (it is rendered
again and replaces it). Each app lists the models its public pages read
with `invalidate_on_change()` in its AppConfig.ready(); a service that changes such rows with QuerySet.update()
or bulk_create() (which send no signals) calls `bump_public_generation()` itself.

Some data changes all the time and shows on few pages: the seats left of an event change with every registration
and show only on that event's page. Such pages name a *scope* (`public_page(scope=...)`, e.g. "event:<slug>"),
whose own generation is part of their key as well; the model lists it with `invalidate_on_change(scope=...)`, so a
change draws a new generation for that scope alone. Every registration is then right at once on its event's page,
and registering does not empty the cache of every other page.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.forms import Form
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.template import Context
from django.template.loader import get_template
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

GENERATION_KEY = "page:generation"


def _new_token() -> str:
    # Random, not a counter: a generation lost from the cache (cleared, evicted) is replaced by one that was never
    # used, so pages stored under an earlier one can never come back.
    return secrets.token_hex(8)


def public_generation(request=None) -> str:
    """The current generation: one cache read, remembered on `request` so a page reads it once."""
    generation = getattr(request, "_public_generation", None)
    if generation is None:
        generation = _generation(GENERATION_KEY)
        if request is not None:
            request._public_generation = generation
    return generation


def _generation(key: str) -> str:
    return cache.get(key) or _start_generation(key)


def _start_generation(key: str) -> str:
    """A generation for `key`, which the cache did not hold a moment ago."""
    token = _new_token()
    # Timeout None: the generation never expires; another request may have started one meanwhile.
    return token if cache.add(key, token, None) else (cache.get(key) or token)


def scope_key(scope: str) -> str:
    return f"{GENERATION_KEY}:{scope}"


def _draw_new_generation(key: str = GENERATION_KEY) -> None:
    cache.set(key, _new_token(), None)


def bump_public_generation() -> None:
    """Make every cached public page stale once the current transaction commits (at once outside one).

    After commit, so that a request rendering in between cannot store the old data under the new generation, and a
    rolled-back change leaves the cache alone. Robust: the change is committed by then, so a cache that cannot be
    reached is logged rather than turned into an error for the person who made the change.
    """
    transaction.on_commit(_draw_new_generation, robust=True)


def bump_scope_generation(scope: str) -> None:
    """Make the cached pages of one scope stale once the current transaction commits; other pages stay."""
    transaction.on_commit(functools.partial(_draw_new_generation, scope_key(scope)), robust=True)


def _row_changed(sender, **kwargs) -> None:
    bump_public_generation()


def _relation_changed(sender, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        bump_public_generation()


def invalidate_on_change(*models: type[Model], scope: Callable[[Model], str | None] | None = None) -> None:
    """Public pages read `models`: saving or deleting one of their rows, or changing one of their many-to-many
    relations, makes every cached public page stale after commit.

    With `scope` (a function of the row, answering the scope of the pages that show it, or None for none), only
    the pages of that scope go stale."""
    if scope is not None:
        for model in models:

            def changed(sender, instance, **kwargs) -> None:
                name = scope(instance)
                if name:
                    bump_scope_generation(name)

            label = model._meta.label
            post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"scoped-page-save:{label}")
            post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"scoped-page-delete:{label}")
        return
    for model in models:
        label = model._meta.label
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"public-page-save:{label}")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"public-page-delete:{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _relation_changed, sender=through, dispatch_uid=f"public-page-m2m:{through._meta.label}"
            )


def _cacheable_request(request) -> bool:
    return settings.PUBLIC_PAGE_CACHE_SECONDS > 0 and request.method == "GET" and len(get_messages(request)) == 0


def _stored(request, key: str, scope: str | None) -> tuple[str, object]:
    """(the current generation, the response stored under `key` if it was stored under that generation, else None).

    One cache call reads the generation(s) and the stored page together (a cached page is then one round trip to
    Redis, not two). The generation is read before the view runs: a change committed while it renders draws a new
    one, so the page rendered from the older data is stored with a generation no longer current."""
    scope_name = scope_key(scope) if scope is not None else None
    found = cache.get_many([GENERATION_KEY, key, *([scope_name] if scope_name else [])])
    generation = found.get(GENERATION_KEY) or _start_generation(GENERATION_KEY)
    request._public_generation = generation
    if scope_name is not None:
        generation = f"{generation}.{found.get(scope_name) or _start_generation(scope_name)}"
    stored = found.get(key)
    return generation, (stored[1] if isinstance(stored, tuple) and stored[0] == generation else None)


ACCOUNT_NAV_START = b"<!--account-nav-->"
ACCOUNT_NAV_END = b"<!--/account-nav-->"
ACCOUNT_NAV_TEMPLATE = "_account_nav.html"


def _as_anonymous(request, view, args, kwargs):
    """The view's answer as an anonymous visitor gets it (a public page's content is the same for everyone)."""
    user = request.user
    request.user = AnonymousUser()
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
    finally:
        request.user = user
    return response


def _with_own_account_nav(request, stored):
    """A copy of the stored page with the signed-in person's account menu in place of the anonymous one. Pages
    without the markers (calendar feeds, the sitemap) are the same for everyone and are copied as they are."""
    content = stored.content
    start = content.find(ACCOUNT_NAV_START)
    end = content.find(ACCOUNT_NAV_END, start + len(ACCOUNT_NAV_START)) if start >= 0 else -1
    if start >= 0 and end >= 0:
        # No context processors: the menu needs the person, the language and a CSRF token for its log-out button.
        menu = get_template(ACCOUNT_NAV_TEMPLATE).template.render(
            Context({"user": request.user, "csrf_token": get_token(request)}, autoescape=True)
        )
        content = b"".join((content[: start + len(ACCOUNT_NAV_START)], menu.encode(stored.charset), content[end:]))
    response = HttpResponse(content, status=stored.status_code)
    for header, value in stored.items():
        if header.lower() not in ("content-length", "content-encoding", "cache-control"):
            response[header] = value
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def _canonical_query(request, params: tuple[str, ...]) -> str:
    """The declared parameters only, sorted by name and value: `?b=2&a=1` and `?a=1&b=2&utm_source=x` agree."""
    pairs = [(name, value) for name in params for value in sorted(request.GET.getlist(name))]
    return urlencode(pairs)


def _compress(request, response):
    return GZipMiddleware(lambda request: response).process_response(request, response)


def public_page(
    view=None,
    *,
    query: Iterable[str] = (),
    form: type[Form] | None = None,
    scope: Callable[..., str] | None = None,
):
    """Cache the view's page for anonymous visitors (see the module's docstring).

    Only the query parameters the view reads make another page: those named in `query` and the fields of its
    filter `form`. The key holds only those, sorted, so a random query string cannot fill the cache with copies.
    A request with other parameters is answered from the canonical page's entry if there is one, and otherwise
    rendered for it and not stored (its page may repeat its own address, in the language switch for example). With
    `form`, a page is stored only when the form accepts the values, so made-up choices are not stored either.
    `scope` (called with the view's URL keyword arguments) names the scope whose generation the page follows too.
    """
    if view is None:
        return functools.partial(public_page, query=query, form=form, scope=scope)
    params = tuple(sorted({*query, *(form.base_fields if form is not None else ())}))

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        canonical = _canonical_query(request, params)
        extra = any(name not in params for name in request.GET)
        signed_in = request.user.is_authenticated
        if signed_in and extra:
            return view(request, *args, **kwargs)  # a page that is not stored: theirs, rendered for them
        digest = hashlib.sha256(f"{request.path}?{canonical}".encode()).hexdigest()[:32]
        # Browsers that accept gzip get the page stored compressed (a fifth of the bytes to read from the cache, and
        # nothing to compress on each visit); others, and signed-in people (their menu goes in), the plain copy.
        gzip = not signed_in and bool(re_accepts_gzip.search(request.headers.get("accept-encoding", "")))
        key = f"page:{get_language()}:{'gz' if gzip else 'id'}:{digest}"
        generation, response = _stored(request, key, scope(**kwargs) if scope is not None else None)
        if response is None:
            if signed_in:
                response = _as_anonymous(request, view, args, kwargs)
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
            storable = response.status_code == 200 and not response.cookies and not extra
            if storable and form is not None and canonical:
                storable = form(request.GET).is_valid()
            if not storable and signed_in:
                return view(request, *args, **kwargs)  # what cannot be stored is rendered for them
            if storable:
                # Safe to compress: a stored page sets no cookie (so holds no CSRF token) and is nobody's own.
                if gzip:
                    response = _compress(request, response)
                cache.set(key, (generation, response), settings.PUBLIC_PAGE_CACHE_SECONDS)
        if signed_in:
            return _with_own_account_nav(request, response)
        patch_cache_control(response, public=True, max_age=0)
        return response

    return wrapper


# --- A form page that is the same for everyone but for its CSRF token ---------------------------------------------

TOKEN_MARKER = b"__portal_csrf_token__"
TOKEN_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def blank_form_page(view=None, *, scope: Callable[..., str] | None = None):
    """Keep the blank form page of `view` (its GET) rendered once per generation and language: the testimony form,
    which every resident who opens it used to get rendered afresh (issue 19).

    A blank form page is the same for everyone but for its CSRF token, which is the visitor's own and must never be
    stored or shared. So the page is stored with a marker where the token was, and each visitor gets it with a
    token of their own put in (Django's `get_token`, which also sets their CSRF cookie), plus, when signed in, their
    account menu (as `public_page` does). The answer is private and never compressed (it holds a token). A POST, a
    GET with parameters, a visitor with messages pending, or a page that is not a plain 200 goes to the view.
    `scope` (of the view's URL keyword arguments) names the scope whose generation the page follows too."""
    if view is None:
        return functools.partial(blank_form_page, scope=scope)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request) or request.GET:
            return view(request, *args, **kwargs)
        key = f"form:{get_language()}:{hashlib.sha256(request.path.encode()).hexdigest()[:32]}"
        generation, page = _stored(request, key, scope(**kwargs) if scope is not None else None)
        if page is None:
            response = _as_anonymous(request, view, args, kwargs)
            tokens = set(TOKEN_FIELD.findall(response.content)) if response.status_code == 200 else set()
            if len(tokens) != 1 or response.cookies or response.streaming:
                return view(request, *args, **kwargs) if request.user.is_authenticated else response
            page = HttpResponse(
                response.content.replace(tokens.pop(), TOKEN_MARKER), content_type=response["Content-Type"]
            )
            for header, value in response.items():
                if header.lower() not in ("content-length", "content-encoding", "cache-control", "content-type"):
                    page[header] = value
            cache.set(key, (generation, page), settings.PUBLIC_PAGE_CACHE_SECONDS)
        answer = HttpResponse(page.content.replace(TOKEN_MARKER, get_token(request).encode()), status=200)
        for header, value in page.items():
            if header.lower() != "content-length":
                answer[header] = value
        if request.user.is_authenticated:
            answer = _with_own_account_nav(request, answer)
        patch_cache_control(answer, private=True)
        patch_vary_headers(answer, ("Cookie",))
        return answer

    return wrapper
