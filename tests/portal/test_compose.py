"""docker-compose.yml keeps private files safe and shared: each storage path the web and the worker use is one named
volume both mount (a render the worker writes is the file web hands out; an upload web stores is the file the worker
cleans), beat and backup mount the same; the private volume reaches only the portal's own processes, never a server
of static files, and the backup archives have a volume of their own."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import yaml

from tests.services import need

ROOT = Path(__file__).resolve().parents[2]
PORTAL_IMAGE = "uprcities:latest"
STORAGE_SETTINGS = ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: str(value) for key, value in env.items()}


def mounts(stack: dict, service: dict) -> dict[str, str | None]:
    """Mount path -> the named volume mounted there (None for a bind mount or an anonymous volume)."""
    named = set(stack.get("volumes") or {})
    found: dict[str, str | None] = {}
    for entry in service.get("volumes") or []:
        if isinstance(entry, str):
            parts = entry.split(":")
            source, target = (parts[0], parts[1]) if len(parts) > 1 else (None, parts[0])
        else:
            source, target = entry.get("source"), entry["target"]
        found[target.rstrip("/")] = source if source in named else None
    return found


def is_portal(service: dict) -> bool:
    return service.get("image") == PORTAL_IMAGE or service.get("build") in (".", {"context": "."})


def inside(path: str, folder: str) -> bool:
    return PurePosixPath(path).is_relative_to(PurePosixPath(folder))


def dockerfile_env(name: str) -> str:
    found = re.findall(rf"^ENV .*\b{name}=(\S+)", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    assert len(found) == 1, f"the Dockerfile sets {name} {len(found)} times"
    return found[0]


def test_each_storage_path_of_web_and_worker_is_one_named_volume_both_mount():
    stack = compose()
    services = stack["services"]
    shared = {}
    for setting in STORAGE_SETTINGS:
        paths = {name: environment(services[name]).get(setting) for name in ("web", "worker")}
        assert paths["web"] == paths["worker"], f"{setting} differs between web and worker: {paths}"
        volumes = {name: mounts(stack, services[name]).get(paths["web"]) for name in ("web", "worker")}
        assert volumes["web"] == volumes["worker"], f"{setting} at {paths['web']} is on {volumes}"
        shared[setting] = (paths["web"], volumes["web"])

    assert shared == {"MEDIA_ROOT": ("/data/media", "media"), "PRIVATE_MEDIA_ROOT": ("/data/private", "private")}


def test_beat_and_backup_see_the_same_storage_as_web():
    stack = compose()
    services = stack["services"]
    web_env, web_mounts = environment(services["web"]), mounts(stack, services["web"])
    for name in ("beat", "backup"):
        env, volumes = environment(services[name]), mounts(stack, services[name])
        for setting in STORAGE_SETTINGS:
            assert env[setting] == web_env[setting], (name, setting)
            assert volumes[env[setting]] == web_mounts[web_env[setting]], (name, setting)


def test_private_volume_is_mounted_only_by_the_portal_and_only_at_private_media_root():
    stack = compose()
    for name, service in stack["services"].items():
        private_at = [path for path, volume in mounts(stack, service).items() if volume == "private"]
        if not private_at:
            continue
        # A web server in front (nginx, Caddy) or any other image must never see these files: only the portal's
        # views, which check consent and membership, hand them out.
        assert is_portal(service), f"{name} mounts the private volume"
        assert private_at == [environment(service)["PRIVATE_MEDIA_ROOT"]], (name, private_at)
    assert {name for name, s in stack["services"].items() if "private" in mounts(stack, s).values()} == {
        "web",
        "worker",
        "beat",
        "backup",
    }


def test_private_media_root_is_outside_every_folder_the_portal_serves():
    stack = compose()
    env = environment(stack["services"]["web"])
    private = env["PRIVATE_MEDIA_ROOT"]
    # MEDIA_ROOT is served under MEDIA_URL (by Django in development, by any media server in production), and
    # STATIC_ROOT by WhiteNoise: a private file inside either would have a public address.
    served = {"MEDIA_ROOT": env["MEDIA_ROOT"], "STATIC_ROOT": env.get("STATIC_ROOT") or dockerfile_env("STATIC_ROOT")}
    for setting, folder in served.items():
        assert not inside(private, folder), f"PRIVATE_MEDIA_ROOT {private} is inside {setting} {folder}"
        assert not inside(folder, private), f"{setting} {folder} is inside PRIVATE_MEDIA_ROOT {private}"


def test_backup_service_writes_archives_to_a_volume_of_its_own():
    stack = compose()
    services = stack["services"]
    backup = services["backup"]
    folder = environment(backup)["BACKUP_DIR"]

    assert mounts(stack, backup) == {"/data/media": "media", "/data/private": "private", folder: "backups"}
    assert [name for name, s in services.items() if "backups" in mounts(stack, s).values()] == ["backup"]
    assert "manage.py backup --keep" in backup["command"]


def test_image_makes_every_mount_point_for_the_portal_user():
    # A named volume starts as a copy of the image's folder, owner included: a folder the image lacks would be
    # root's, and the portal (uid 1000) could not write an upload, a render or a backup there.
    stack = compose()
    made = re.search(r"mkdir -p ((?:/\S+ )+)&& chown -R portal /data", (ROOT / "Dockerfile").read_text())
    assert made is not None
    folders = set(made.group(1).split())
    targets = {path for s in stack["services"].values() if is_portal(s) for path in mounts(stack, s)}
    assert targets == {"/data/media", "/data/private", "/data/backups"}
    assert targets <= folders
    assert dockerfile_env("PRIVATE_MEDIA_ROOT") == "/data/private"


def test_docker_compose_file_validates():
    docker_compose = shutil.which("docker-compose")
    need("docker-compose", docker_compose is not None, "install the Debian package docker-compose")

    done = subprocess.run(  # noqa: S603
        [docker_compose, "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "validate-only"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert (done.returncode, done.stderr) == (0, "")


def test_the_cache_is_bounded_and_can_never_evict_a_queued_task():
    """The page cache's Redis has a memory limit and evicts least recently used keys; the broker's Redis is another
    instance that never evicts, so random cache keys can fill neither memory nor drop a task."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    env = services["web"]["environment"]
    cache_host = env["CACHE_URL"].split("//", 1)[1].split(":", 1)[0]
    broker_host = env["REDIS_URL"].split("//", 1)[1].split(":", 1)[0]
    assert cache_host != broker_host
    cache_command, broker_command = services[cache_host]["command"], services[broker_host]["command"]
    assert "--maxmemory 256mb" in cache_command and "--maxmemory-policy allkeys-lru" in cache_command
    assert "--maxmemory-policy noeviction" in broker_command
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["CACHE_URL"] == env["CACHE_URL"]
