"""The docker runtime: each language in its (official) image, driven through the Docker SDK.

Per language and session:
* a named volume, labelled, holding the build tree at /suite/tree and tool caches at /suite/cache;
* a build container (network allowed, root) that fetches dependencies and compiles into the volume;
  the built tree is kept on the host (.cache/docker/<lang>/<hash>.tar), so an unchanged tree is
  never rebuilt, and a later session only copies it into its fresh volume;
* one long-lived runner container speaking the runner protocol on its attached stdin/stdout: no
  network, a non-root user, a read-only root with a tmpfs at /tmp, memory, CPU and pid limits.
Everything created carries the suite's labels (harness.docker_engine) and is removed when the
session closes; what a killed earlier session left behind is removed when the next one starts.
"""

from __future__ import annotations

import io
import json
import re
import shlex
import tarfile
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from harness.base.errors import BuildError, SuiteError, ToolchainError, once
from harness.catalogue.languages import Language, holds, version_key
from harness.catalogue.spec import Snippet
from harness.runtimes.build import build_log_tail, locked, render_tree, substitute, tree_hash
from harness.runtimes.docker.container import ContainerProcess, Limits
from harness.runtimes.docker.engine import LABEL, OWNER_LABEL, connect, engine_platform, remove_orphans, sdk, short
from harness.runtimes.images import ImageChoice, env_name, tag_version
from harness.runtimes.orphans import owner
from harness.runtimes.runtime import Prepared
from harness.runtimes.toolchain import wants_toolchain_version

MOUNT = "/suite"
TREE = f"{MOUNT}/tree"
CACHE = f"{MOUNT}/cache"
RUN_USER = "65534:65534"  # nobody: exists in every Debian/Ubuntu based image


class ImageMissing(SuiteError):
    """A language's image is not present and cannot be pulled."""

    def __init__(self, lang: Language, choice: ImageChoice, reason: str):
        self.ref, self.reason = choice.ref, reason
        super().__init__(
            f"{lang.title}: image {choice.ref} (from {choice.source}) is not present and cannot be pulled "
            f"({reason}). Pull it where a registry is reachable, set {env_name(lang.name)} to a mirror, "
            "or build local stand-ins with `make standin-images`."
        )


class DockerRuntime:
    name = "docker"

    def __init__(self, cache: Path, images: dict[str, ImageChoice], limits: Limits = Limits(), client=None):
        self.docker = sdk()
        self.client = client or connect()
        self.cache = cache
        self.images = images
        self.limits = limits
        self.session = uuid.uuid4().hex[:8]
        self.labels = {LABEL: "1", OWNER_LABEL: owner(), f"{LABEL}.session": self.session}
        self.platform = engine_platform(self.client)
        removed = remove_orphans(self.client)
        self.notes = (
            [f"removed {len(removed)} leftover(s) of an earlier run that was killed: {', '.join(removed)}"]
            if removed
            else []
        )
        self._images: dict[str, object] = {}
        self._versions: dict[str, str] = {}
        self._volumes: list[object] = []
        self._containers: set = set()
        self._lock = threading.Lock()

    # -- images and versions ---------------------------------------------------------------

    def image(self, lang: Language):
        """The language's image, pulled if missing; SuiteError naming the image and what to do."""
        return once(self._images, lang.key, lambda: self._find_image(lang))

    def choice(self, lang: Language) -> ImageChoice:
        """The image chosen for the language (an override, or language.yaml's); a version a run
        named runs in that version's image."""
        if lang.version is not None and lang.version_named.image is not None:  # an image of its own
            return self.images.get(lang.key) or ImageChoice(lang.image, f"language.yaml, version {lang.version}")
        return self.images.get(lang.key) or self.images[lang.name]

    def _find_image(self, lang: Language):
        choice = self.choice(lang)
        errors = self.docker.errors
        try:
            image = self.client.images.get(choice.ref)
        except errors.ImageNotFound:
            try:
                image = self.client.images.pull(choice.ref)
            except errors.DockerException as exc:
                raise ImageMissing(lang, choice, short(exc)) from None
        except errors.DockerException as exc:
            raise SuiteError(
                f"{lang.title}: the Docker engine failed to look up image {choice.ref}: {short(exc)}"
            ) from None
        platform = f"{image.attrs.get('Os', 'linux')}/{image.attrs.get('Architecture', '?')}"
        if platform != self.platform:
            raise SuiteError(
                f"{lang.title}: image {choice.ref} is built for {platform}, but the engine runs {self.platform}. "
                f"Pull the {self.platform} variant (docker pull --platform {self.platform} {choice.ref}) "
                f"or set {env_name(lang.name)} to an image for this platform."
            )
        return image

    def version(self, lang: Language) -> str:
        """The toolchain version inside the image, by the language's own version command."""
        if lang.key in self._versions:
            return self._versions[lang.key]
        image = self.image(lang)
        store = self.cache / "docker" / "versions.json"
        known = json.loads(store.read_text()) if store.exists() else {}
        key = f"{lang.name}@{image.id}"
        if key not in known:
            command = substitute(lang.version_command, _tool_names(lang), CACHE)
            output = self._run_once(image, command)
            match = re.search(lang.version_regex, output)
            if not match:
                raise ToolchainError(
                    f"{lang.title}: could not read a version from `{' '.join(command)}` in image "
                    f"{self.choice(lang).ref}: {output.strip()[:300]!r}"
                )
            known[key] = match.group(1)
            store.parent.mkdir(parents=True, exist_ok=True)
            store.write_text(json.dumps(known, indent=1, sort_keys=True))
        version = known[key]
        meant = tag_version(self.choice(lang).ref)
        if meant is not None and not holds(version, meant):
            raise ToolchainError(
                f"{lang.title}: image {self.choice(lang).ref} names {lang.tools[0]} {meant} in its tag, but "
                f"holds {lang.tools[0]} {version}: an image must hold what its tag names. Rebuild it (a stand-in: "
                f"make standin-images) or name an image that holds {meant} (set {env_name(lang.name)})."
            )
        if wants_toolchain_version(lang) is None and version_key(version) < version_key(lang.minimum):
            raise ToolchainError(
                f"{lang.title}: image {self.choice(lang).ref} has {lang.tools[0]} {version}, "
                f"older than the minimum {lang.minimum}. Use a newer tag (set {env_name(lang.name)})."
            )
        wanted = wants_toolchain_version(lang)
        if wanted is not None and not holds(version, wanted):
            raise ToolchainError(
                f"{lang.title} {wanted}: image {self.choice(lang).ref} holds {lang.tools[0]} {version}, not {wanted}"
            )
        self._versions[lang.key] = version
        return version

    def _run_once(self, image, command: list[str]) -> str:
        container = None
        try:
            container = self._create(
                image.id, command, user=RUN_USER, network_mode="none", environment={"HOME": "/tmp"}
            )
            container.start()
            container.wait(timeout=120)
            return container.logs(stdout=True, stderr=True).decode(errors="replace")
        except self.docker.errors.DockerException as exc:
            raise ToolchainError(f"`{' '.join(command)}` failed in image {image.tags or image.id}: {short(exc)}")
        finally:
            if container is not None:
                self._remove(container)

    def image_of(self, lang: Language) -> str | None:
        return self.choice(lang).ref

    def describe(self, lang: Language) -> str:
        version = self.version(lang)
        choice = self.choice(lang)
        image = self.image(lang)
        via = f" (from {choice.source})" if choice.overridden else ""
        return f"{lang.tools[0]} {version:<10} {choice.ref} {image.short_id.removeprefix('sha256:')}{via}"

    # -- build -------------------------------------------------------------------------------

    def prepare(self, lang: Language, snippets: list[Snippet], progress: Callable[[str], None]) -> Prepared:
        try:
            return self._prepare(lang, snippets, progress)
        except self.docker.errors.DockerException as exc:
            raise SuiteError(
                f"{lang.title}: the Docker engine failed while preparing the build: {short(exc)}"
            ) from None

    def _prepare(self, lang: Language, snippets: list[Snippet], progress: Callable[[str], None]) -> Prepared:
        image = self.image(lang)
        self.version(lang)
        started = time.monotonic()
        archive = self.cache / "docker" / lang.key / f"{tree_hash(lang, image.id, snippets)}.tar"
        volume = self.client.volumes.create(
            name=f"async-suite-{self.session}-{lang.key.replace('@', '-')}", labels=self.labels
        )
        self._volumes.append(volume)
        with locked(archive.with_suffix(".lock")):  # suites running at once build a tree once
            if archive.exists():
                self._fill_volume(image, volume, archive.read_bytes())
                build = "cached"
            else:
                progress(f"{lang.name}: building in {self.choice(lang).ref}")
                self._build(lang, image, volume, snippets, archive)
                build = f"built in {time.monotonic() - started:.1f} s"
        return Prepared(
            lambda extra=None: self._start_runner(lang, image, volume, extra or {}), self._describe_run(lang), build
        )

    def _fill_volume(self, image, volume, data: bytes) -> None:
        """Copy a built tree into a fresh volume, through a container that never starts."""
        container = self._create(image.id, ["true"], volumes={volume.name: {"bind": MOUNT, "mode": "rw"}})
        try:
            container.put_archive(MOUNT, data)
        finally:
            self._remove(container)

    def _build(self, lang: Language, image, volume, snippets: list[Snippet], archive: Path) -> None:
        tools = _tool_names(lang)
        steps = [substitute(step, tools, CACHE, lang.version_name, self.version(lang)) for step in lang.build]
        script = " && ".join(["set -e", f"mkdir -p {CACHE}"] + [shlex.join(step) for step in steps]) or "true"
        container = self._create(
            image.id,
            ["sh", "-c", script],
            working_dir=TREE,
            environment={**self._env(lang), "HOME": f"{CACHE}/home"},
            volumes={volume.name: {"bind": MOUNT, "mode": "rw"}},
            mem_limit="4g",
        )
        try:
            with tempfile.TemporaryDirectory() as scratch:
                tree = Path(scratch) / "tree"
                render_tree(lang, snippets, tree)
                container.put_archive(MOUNT, _tar(tree, "tree"))
            container.start()
            status = container.wait(timeout=1800)["StatusCode"]
            if status != 0:
                tail = build_log_tail(container.logs(stdout=True, stderr=True).decode(errors="replace"), TREE, snippets)
                raise BuildError(
                    f"{lang.title} build failed in image {self.choice(lang).ref}: `{script}` exited with "
                    f"{status}\n{tail}"
                )
            stream, _ = container.get_archive(TREE)
            archive.parent.mkdir(parents=True, exist_ok=True)
            partial = archive.with_suffix(".partial")
            with open(partial, "wb") as out:
                for chunk in stream:
                    out.write(chunk)
            partial.replace(archive)
        finally:
            self._remove(container)

    def _env(self, lang: Language) -> dict[str, str]:
        return {k: substitute((v,), _tool_names(lang), CACHE, lang.version_name)[0] for k, v in lang.env.items()}

    # -- runner containers -------------------------------------------------------------------

    def _describe_run(self, lang: Language) -> str:
        command = " ".join(substitute(lang.run, _tool_names(lang), CACHE))
        return f"{command} in {self.choice(lang).ref}"

    def _start_runner(self, lang: Language, image, volume, extra: dict[str, str]) -> ContainerProcess:
        try:
            return self._start_container(lang, image, volume, extra)
        except self.docker.errors.DockerException as exc:
            raise SuiteError(f"the engine refused the runner container: {short(exc)}") from None

    def _start_container(self, lang: Language, image, volume, extra: dict[str, str]) -> ContainerProcess:
        limits = self.limits
        container = self._create(
            image.id,
            substitute(lang.run, _tool_names(lang), CACHE),
            working_dir=TREE,
            user=RUN_USER,
            environment={**self._env(lang), "HOME": "/tmp", **extra},
            volumes={volume.name: {"bind": MOUNT, "mode": "ro"}},
            network_mode="none",
            read_only=True,
            tmpfs={"/tmp": f"rw,nosuid,nodev,size={limits.tmpfs},mode=1777"},
            mem_limit=limits.memory,
            memswap_limit=limits.memory,
            nano_cpus=int(limits.cpus * 1e9),
            pids_limit=limits.pids,
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            init=True,
            stdin_open=True,
            detach=False,  # with stdin_open: attach stdin, and close it when the harness detaches
        )
        try:
            return ContainerProcess(container, limits, on_release=lambda: self._remove(container))
        except BaseException:
            self._remove(container)
            raise

    def _create(self, image: str, command: list[str], **kwargs):
        container = self.client.containers.create(image, command, labels=self.labels, **kwargs)
        with self._lock:
            self._containers.add(container)
        return container

    def _remove(self, container) -> None:
        with self._lock:
            self._containers.discard(container)
        try:
            container.remove(force=True)
        except self.docker.errors.NotFound:
            pass

    def close(self) -> None:
        """Remove every container and volume this session created (also after a failure or Ctrl-C)."""
        for container in list(self._containers):
            try:
                self._remove(container)
            except self.docker.errors.DockerException:
                pass
        for volume in self._volumes:
            try:
                volume.remove(force=True)
            except self.docker.errors.NotFound:
                pass
        self._volumes.clear()


def _tool_names(lang: Language) -> dict[str, str]:
    """Inside an image, tools are found on its own PATH."""
    return {tool: tool for tool in lang.tools}


def _tar(folder: Path, arcname: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        tar.add(folder, arcname=arcname)
    return buffer.getvalue()
