"""Access to the Docker engine: the SDK, the connection, the labels every suite object carries, and
removing what a killed earlier session left behind."""

from __future__ import annotations

import os

from harness.base.errors import SuiteError
from harness.runtimes.orphans import owner_gone

LABEL = "io.async-suite"  # every container and volume the suite creates
OWNER_LABEL = "io.async-suite.owner"  # host:pid of the session that created it


def sdk():
    try:
        import docker
    except ImportError:  # pragma: no cover - requirements.txt installs it
        raise SuiteError("the docker runtime needs the Docker SDK for Python: pip install docker") from None
    return docker


def connect():
    """A client for the engine DOCKER_HOST names (default: the local socket), or a clear SuiteError."""
    docker = sdk()
    where = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    try:
        client = docker.from_env(timeout=120)
        client.ping()
    except docker.errors.DockerException as exc:
        raise SuiteError(
            f"no Docker engine answers at {where} ({short(exc)}). Start it (`sudo systemctl start docker`, "
            f"or `dockerd &`), point DOCKER_HOST at one, or run with RUNTIME=local."
        ) from None
    return client


def short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:300]


def engine_platform(client) -> str:
    info = client.info()
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(info.get("Architecture", ""), info.get("Architecture", ""))
    return f"{info.get('OSType', 'linux')}/{arch}"


def remove_orphans(client) -> list[str]:
    """Remove containers and volumes of earlier sessions that ended without cleaning up."""
    removed = []
    errors = sdk().errors
    # sparse: the listing's own fields, not one inspection per container, which fails when another
    # session removes its containers meanwhile
    for container in client.containers.list(all=True, sparse=True, filters={"label": LABEL}):
        labels = container.attrs.get("Labels") or {}
        if owner_gone(labels.get(OWNER_LABEL, "")):
            try:
                container.remove(force=True)
            except errors.NotFound:
                continue  # removed meanwhile by its own session
            name = (container.attrs.get("Names") or [container.short_id])[0].lstrip("/")
            removed.append(f"container {name}")
    for volume in client.volumes.list(filters={"label": LABEL}):
        if owner_gone((volume.attrs.get("Labels") or {}).get(OWNER_LABEL, "")):
            try:
                volume.remove(force=True)
                removed.append(f"volume {volume.name}")
            except sdk().errors.APIError:
                pass  # still in use by a container being removed; the next start takes it
    return removed
