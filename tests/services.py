"""Which real services this machine offers the tests.

A test that needs a missing service is skipped with a reason naming it, except under REQUIRE_SERVICES=1 (CI),
where a missing service fails the test instead.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
from urllib.parse import urlsplit

import pytest

CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}


def need(service: str, available: bool, hint: str) -> None:
    if available:
        return
    message = f"{service} is not available: {hint}"
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES=1 and {message}")
    pytest.skip(message)


@functools.cache
def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return None
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                return url
    except OSError:
        return None
    return None


@functools.cache
def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM")
    for candidate in [configured, *CHROMIUM_CANDIDATES]:
        if candidate and shutil.which(candidate):
            return candidate
    return None


# The checkers the suite runs over the pages come from the npm registry (package.json, installed by `make test`
# with `npm ci`); the Nu HTML checker is a Java program (Debian's default-jre-headless).
NODE_MODULES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "node_modules")
VNU_JAR = os.path.join(NODE_MODULES, "vnu-jar", "build", "dist", "vnu.jar")
AXE_JS = os.path.join(NODE_MODULES, "axe-core", "axe.min.js")


def need_node_package(name: str, path: str) -> str:
    """`path` inside node_modules, or a skip (a failure under REQUIRE_SERVICES=1) naming the npm package."""
    need(f"the npm package {name}", os.path.isfile(path), "run `npm ci` at the project root (make test does)")
    return path


def need_java() -> str:
    java = shutil.which("java")
    need("Java", java is not None, "install Debian's default-jre-headless (the Nu HTML checker is a Java program)")
    return java
