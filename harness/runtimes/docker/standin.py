"""Local stand-ins for the official language images, for machines that cannot pull them.

`make standin-images` (harness.tools.standin):
1. makes a Debian base image: `debootstrap --variant=minbase` (from Debian's package mirror), the
   build machine's CA bundle (so a TLS-intercepting proxy or mirror still verifies), `docker import`;
2. for each language, builds `languages/<lang>/standin.Dockerfile` on that base with the local
   toolchain (found as the local runtime finds it) copied to where the official image keeps it;
3. writes images.override.yaml, so the docker runtime runs these images instead of the official ones.

The suite then runs exactly as it does with official images: only the image names differ.
An image whose inputs are unchanged is not rebuilt.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import replace
from pathlib import Path

import jinja2

from harness.base.errors import SuiteError
from harness.catalogue.languages import Language
from harness.runtimes.docker.runtime import LABEL
from harness.runtimes.obtain import obtained_bin
from harness.runtimes.toolchain import Toolchain, find_toolchain

MIRROR = "http://deb.debian.org/debian"
# The mirror may be a snapshot whose testing suites' Release files are past their Valid-Until
# (forky's were, by weeks): apt in a stand-in (a CI job installing git or make) still installs from it.
APT_SNAPSHOT_CONF = 'Acquire::Check-Valid-Until "false";\n'
BASE_PACKAGES = ["ca-certificates", "python3", "gcc", "libc6-dev"]  # gcc: the linker rustc and cgo call
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
HASH_LABEL = f"{LABEL}.standin-inputs"


def say(message: str) -> None:
    print(f"[standin] {message}", flush=True)


def standin_name(official: str) -> str:
    """golang:1.26-bookworm -> async-suite-standin/golang:1.26-bookworm"""
    name = official.split("/")[-1]
    repo, _, tag = name.partition(":")
    return f"async-suite-standin/{repo}:{tag or 'latest'}"


def _existing(client, ref: str, inputs: str):
    try:
        image = client.images.get(ref)
    except Exception:
        return None
    return image if (image.labels or {}).get(HASH_LABEL) == inputs else None


def build_base(client, work: Path, suite: str = "bookworm") -> str:
    """The base image of one Debian suite (a language's `standin: suite:`)."""
    ref = f"async-suite-standin/debian:{suite}"
    ca = HOST_CA_BUNDLE.read_bytes() if HOST_CA_BUNDLE.exists() else b""
    inputs = hashlib.sha256(repr((suite, MIRROR, BASE_PACKAGES, APT_SNAPSHOT_CONF)).encode() + ca).hexdigest()[:16]
    if _existing(client, ref, inputs):
        say(f"base {ref} is up to date")
        return ref
    if shutil.which("debootstrap") is None:
        raise SuiteError("debootstrap is missing: install it (apt-get install debootstrap) and run again.")
    rootfs = work / "rootfs"
    if rootfs.exists():
        shutil.rmtree(rootfs)
    say(f"debootstrap --variant=minbase {suite} (about half a minute)")
    command = [
        "debootstrap",
        "--variant=minbase",
        f"--include={','.join(BASE_PACKAGES)}",
        suite,
        str(rootfs),
        MIRROR,
    ]
    if not Path(f"/usr/share/debootstrap/scripts/{suite}").exists():  # a suite newer than debootstrap
        command.append("/usr/share/debootstrap/scripts/sid")  # testing is built as unstable is
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-20:])
        raise SuiteError(f"`{' '.join(command)}` failed (it needs root and Debian's package mirror):\n{tail}")
    if ca:
        (rootfs / "etc/ssl/certs/ca-certificates.crt").write_bytes(ca)
    (rootfs / "etc/apt/apt.conf.d/99-mirror-snapshot").write_text(APT_SNAPSHOT_CONF)
    for cache in ("var/cache/apt/archives", "var/lib/apt/lists"):
        shutil.rmtree(rootfs / cache, ignore_errors=True)
    say(f"importing the tree as {ref}")
    archive = work / "rootfs.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(rootfs, arcname=".")
    shutil.rmtree(rootfs)
    # The import carries no label, so a one-line build on it records the inputs.
    client.api.import_image(src=str(archive), repository=ref.split(":")[0], tag=f"{suite}-imported")
    archive.unlink()
    _build(client, f'FROM {ref.split(":")[0]}:{suite}-imported\nCMD ["bash"]\n', None, [], ref, inputs)
    return ref


def _toolchain_source(lang: Language, toolchain: Toolchain) -> Path | None:
    tool = Path(toolchain.tools[lang.tools[0]]).resolve()
    if lang.standin_toolchain == "root":
        return tool.parent.parent
    if lang.standin_toolchain == "tool":
        return tool
    if lang.standin_toolchain == "sysroot":
        out = subprocess.run([toolchain.tools[lang.tools[0]], "--print", "sysroot"], capture_output=True, text=True)
        return Path(out.stdout.strip())
    return None


def _build(client, dockerfile: str, source: Path | None, exclude: list[str], ref: str, inputs: str) -> None:
    """docker build with a context of the Dockerfile and, as `toolchain`, the local toolchain."""
    with tempfile.TemporaryFile() as context:
        with tarfile.open(fileobj=context, mode="w") as tar:
            data = dockerfile.encode()
            info = tarfile.TarInfo("Dockerfile")
            info.size = len(data)
            tar.addfile(info, fileobj=io.BytesIO(data))
            if source is not None:
                skip = {str(source / e) for e in exclude}
                tar.add(source, arcname="toolchain", filter=lambda m: _keep(m, skip, source))
        context.seek(0)
        try:
            client.images.build(
                fileobj=context, custom_context=True, tag=ref, labels={LABEL: "1", HASH_LABEL: inputs}, rm=True
            )
        except Exception as exc:  # BuildError carries the build log
            log = "".join(step.get("stream", "") for step in getattr(exc, "build_log", []) or [])
            raise SuiteError(f"building {ref} failed: {exc}\n{log[-3000:]}") from None


def _keep(member: tarfile.TarInfo, skip: set[str], source: Path):
    name = member.name.removeprefix("toolchain")
    path = str(source) + name
    return None if any(path == s or path.startswith(s + "/") for s in skip) else member


def build_language(client, lang: Language, base: str) -> str:
    """The stand-in of the language's image (at the version `lang` names: its image, its suite and
    packages, or its toolchain obtained locally and copied in)."""
    ref = standin_name(lang.image)
    source, version = None, ""
    if lang.standin_toolchain != "none":  # else the base image's own toolchain serves
        base_bin = lambda: find_toolchain(replace(lang, version=None)).bin_dir  # noqa: E731
        toolchain = find_toolchain(lang, obtained_bin(lang, base_bin, say))
        source, version = _toolchain_source(lang, toolchain), toolchain.version
    template = jinja2.Template((lang.folder / "standin.Dockerfile").read_text(), undefined=jinja2.StrictUndefined)
    dockerfile = template.render(
        base=base, version=version, packages=list(lang.standin_packages), major=lang.version_name.split(".")[0]
    )
    # The version is in the Dockerfile, so a toolchain upgraded in place makes a new image.
    # the base by its content (its image id), not its name: a base built again is another input
    base_id = client.images.get(base).id
    inputs = hashlib.sha256(repr((dockerfile, str(source), lang.standin_exclude, base_id)).encode()).hexdigest()[:16]
    if _existing(client, ref, inputs):
        say(f"{lang.name}: {ref} is up to date")
        return ref
    origin = f"{source} ({lang.tools[0]} {version})" if source else "the base image's own toolchain"
    say(f"{lang.name}: building {ref} from {origin}")
    _build(client, dockerfile, source, list(lang.standin_exclude), ref, inputs)
    return ref
