"""Language definitions: languages/<lang>/language.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from harness.base.errors import SpecError
from harness.catalogue.schemas import schema
from harness.catalogue.yamlfile import load_yaml


def spellings(key: str) -> dict[str, str]:
    """How the languages spell a pattern id or snippet key: `first_success` as its `id`, `pascal`
    (FirstSuccess), `camel` (firstSuccess) and `package` (firstsuccess); a variant's key
    `first_success__any` gives FirstSuccessAny."""
    words = key.split("_")
    pascal = "".join(word.capitalize() for word in words)
    return {"id": key, "pascal": pascal, "camel": pascal[0].lower() + pascal[1:], "package": "".join(words)}


@dataclass(frozen=True)
class Reserved:
    """Names a snippet's key may not be spelled as (`spelled`: id, pascal, camel, package), or a
    snippet declare (`declared`), in its language, and why; `when`: always, or new_pattern only."""

    spelled: tuple[str, ...]
    names: frozenset[str]
    says: str
    when: str = "always"

    def clash(self, key: str, when: str = "always") -> tuple[str, str] | None:
        """(spelling, name) of the first spelling of `key` that is reserved here, or None."""
        if when == "always" and self.when != "always":
            return None
        spelled = spellings(key)
        for spelling in self.spelled:
            if spelling != "declared" and spelled[spelling] in self.names:
                return spelling, spelled[spelling]
        return None


VERSION = r"^\d+(\.\d+)*$"  # how a version is written: 3.14, 20, 1.22


def version_key(text: str) -> tuple[int, ...]:
    """`3.14` -> (3, 14), for comparing versions; what a runner reports reads from its first number:
    Go's `go1.26.8` as 1.26.8, `1.22.12 X:rangefunc` as 1.22.12."""
    match = re.search(r"\d+(?:\.\d+)*", text)
    return tuple(int(part) for part in match.group(0).split(".")) if match else ()


def holds(version: str, meant: str) -> bool:
    """Whether a reported version is one a short name means: 3.13.5 holds 3.13, 25.0.3 holds 25,
    3.1 does not hold 3.13."""
    want = version_key(meant)
    return bool(want) and version_key(version)[: len(want)] == want


@dataclass(frozen=True)
class Version:
    """One version of a language the catalogue runs on (`versions:` in language.yaml): its name
    (`3.14`, `20`, `1.22`), how it is obtained without root where it can be (`obtain`: an npm
    package, a Go toolchain from the module proxy), the image that holds it, the environment and
    build files it needs (languages/<lang>/versions/<name>/ overlays the template), and how a
    stand-in of its image is built where no registry is reached."""

    name: str
    default: bool = False
    image: str | None = None
    obtain: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    standin: dict = field(default_factory=dict)
    names: str = ""  # what it is a version of, when not of the toolchain (Rust's are tokio's lines)


@dataclass(frozen=True)
class Language:
    name: str
    title: str
    image: str
    folder: Path
    tools: tuple[str, ...]
    version_command: tuple[str, ...]
    version_regex: str
    minimum: str
    home_env: str | None
    search: tuple[str, ...]
    install_hint: str
    env: dict[str, str]
    build: tuple[tuple[str, ...], ...]
    run: tuple[str, ...]
    # `language`: its trees share build output in the cache (one cargo target directory), so two
    # trees of the language never build at once; `tree`: only the same tree is built once.
    build_lock: str = "tree"
    standin_toolchain: str = "none"  # what `make standin-images` copies of the local toolchain
    standin_exclude: tuple[str, ...] = ()
    standin_suite: str = "bookworm"  # the Debian suite of the stand-in's base image
    standin_packages: tuple[str, ...] = ()  # Debian packages that hold a version's toolchain
    aliases: tuple[str, ...] = ()  # other names in Markdown info strings (`js`), besides `name`
    primitives: tuple[str, ...] = ()  # what the snippets must cover between them (`make coverage`)
    pass_env: tuple[str, ...] = ()  # what its runner gets of the user's environment, besides PATH and HOME
    new_snippet: str | None = None
    unique_names: str | None = None  # a regex: its first group must be declared once in the language
    reserved: tuple[Reserved, ...] = ()  # names its generated code cannot hold (java.lang's String)
    snippet_rules: tuple[
        tuple[str, str], ...
    ] = ()  # (regex a snippet may not match, why)  # a new pattern's snippet file name (`make new-pattern`)
    versions: tuple[Version, ...] = ()  # every supported version, oldest first
    # the classes of what a process run alone may write on stderr (`printed:`): name -> a regex
    # matching the first line of one such block, in the order they are tried
    printed: tuple[tuple[str, str], ...] = ()
    version: str | None = None  # the version a run named (`LANG=python@3.14`); None: whichever is found

    @property
    def key(self) -> str:
        """How a run names this language at its version: `python`, or `python@3.14` when one is named."""
        return self.name if self.version is None else f"{self.name}@{self.version}"

    @property
    def default_version(self) -> Version | None:
        return next((v for v in self.versions if v.default), None)

    @property
    def version_named(self) -> Version | None:
        """The Version a run named, or None."""
        return next((v for v in self.versions if v.name == self.version), None)

    @property
    def overlay(self) -> Path | None:
        """languages/<lang>/versions/<version>/: files that replace the template's for this version."""
        name = self.version if self.version is not None else (self.default_version or Version("")).name
        folder = self.folder / "versions" / name
        return folder if name and folder.is_dir() else None

    def at(self, name: str) -> Language:
        """This language at one of its versions: its image, environment and build files."""
        version = next(v for v in self.versions if v.name == name)
        return replace(
            self,
            version=name,
            image=version.image or self.image,
            env={**self.env, **version.env},
            standin_suite=version.standin.get("suite", self.standin_suite),
            standin_packages=tuple(version.standin.get("packages", ())),
            standin_toolchain=version.standin.get("toolchain", self.standin_toolchain if not version.image else "none"),
        )

    @property
    def version_name(self) -> str:
        """The version named, else the default one's name (what `{version}` in commands is)."""
        if self.version is not None:
            return self.version
        default = self.default_version
        return default.name if default else ""

    @property
    def template(self) -> Path:
        return self.folder / "template"

    @property
    def new_snippet_template(self) -> Path:
        """The text of a new pattern's snippet, a Jinja2 template (`make new-pattern`)."""
        return self.folder / "new-snippet.j2"


def load_language(path: Path) -> Language:
    doc = load_yaml(path)
    doc.validate(schema("language"))
    data = doc.data
    if data["name"] != path.parent.name:
        raise SpecError([doc.problem(["name"], f"name {data['name']!r} must match the folder {path.parent.name!r}")])
    versions = [v["name"] for v in data.get("versions", ())]
    defaults = [v["name"] for v in data.get("versions", ()) if v.get("default")]
    if versions and len(defaults) != 1:
        raise SpecError(
            [
                doc.problem(
                    ["versions"], f"exactly one version is the default (`default: true`); found {defaults or 'none'}"
                )
            ]
        )
    if len(set(versions)) != len(versions):
        raise SpecError([doc.problem(["versions"], f"a version is listed twice: {', '.join(versions)}")])
    tc = data["toolchain"]
    return Language(
        name=data["name"],
        title=data["title"],
        image=data["image"],
        folder=path.parent,
        tools=tuple(tc["tools"]),
        version_command=tuple(tc["version"]),
        version_regex=tc["version_regex"],
        minimum=tc["minimum"],
        home_env=tc.get("home_env"),
        search=tuple(tc.get("search", ())),
        install_hint=tc["install_hint"],
        env=dict(data.get("env", {})),
        build=tuple(tuple(c) for c in data.get("build", ())),
        build_lock=data.get("build_lock", "tree"),
        run=tuple(data["run"]),
        standin_toolchain=data.get("standin", {}).get("toolchain", "none"),
        standin_exclude=tuple(data.get("standin", {}).get("exclude", ())),
        standin_suite=data.get("standin", {}).get("suite", "bookworm"),
        aliases=tuple(data.get("aliases", ())),
        primitives=tuple(data.get("primitives", ())),
        pass_env=tuple(data.get("pass_env", ())),
        new_snippet=data.get("new_snippet"),
        unique_names=data.get("unique_names"),
        reserved=tuple(
            Reserved(tuple(r["spelled"]), frozenset(r["names"]), r["says"], r.get("when", "always"))
            for r in data.get("reserved", ())
        ),
        snippet_rules=tuple((rule["match"], rule["says"]) for rule in data.get("snippet_rules", ())),
        printed=tuple((name, entry["match"]) for name, entry in data.get("printed", {}).items()),
        versions=tuple(
            sorted(
                (
                    Version(
                        v["name"],
                        v.get("default", False),
                        v.get("image"),
                        dict(v.get("obtain", {})),
                        dict(v.get("env", {})),
                        dict(v.get("standin", {})),
                        v.get("names", ""),
                    )
                    for v in data.get("versions", ())
                ),
                key=lambda v: version_key(v.name),
            )
        ),
    )


def load_languages(root: Path) -> dict[str, Language]:
    """Every languages/<lang>/language.yaml under root, by name, in a stable order."""
    return {lang.name: lang for lang in (load_language(p) for p in sorted(root.glob("*/language.yaml")))}
