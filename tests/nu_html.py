"""The Nu HTML checker (the W3C's validator, npm package `vnu-jar`) over many documents in one Java run.

Starting the Java program costs about a second, so documents are collected first and checked together: write
each to a file, run `vnu.jar --errors-only --format json` once over all of them, map the messages back.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from tests.services import VNU_JAR, need_java, need_node_package


def nu_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """{name: [error, ...]} for the documents with errors ({} when every document is valid HTML)."""
    java = need_java()
    jar = need_node_package("vnu-jar", VNU_JAR)
    with tempfile.TemporaryDirectory(prefix="nu-html-") as folder:
        files = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"{index:04d}.html"
            path.write_text(html, encoding="utf-8")
            files[path.name] = name
        completed = subprocess.run(  # noqa: S603 (our own files, a fixed command)
            [java, "-jar", jar, "--errors-only", "--format", "json", "--exit-zero-always", "--stdout"]
            + [str(Path(folder) / filename) for filename in files],
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
    errors: dict[str, list[str]] = {}
    for message in json.loads(completed.stdout)["messages"]:
        url = message.get("url", "")
        name = files.get(url.rsplit("/", 1)[-1], url)
        extract = " ".join(message.get("extract", "").split())
        errors.setdefault(name, []).append(f"line {message.get('lastLine', '?')}: {message['message']} [{extract}]")
    return errors
