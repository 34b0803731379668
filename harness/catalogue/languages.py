"""Language definitions: languages/<lang>/language.yaml."""

from __future__ import annotations

from dataclasses import dataclass
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
    aliases: tuple[str, ...] = ()  # other names in Markdown info strings (`js`), besides `name`
    primitives: tuple[str, ...] = ()  # what the snippets must cover between them (`make coverage`)
    pass_env: tuple[str, ...] = ()  # what its runner gets of the user's environment, besides PATH and HOME
    new_snippet: str | None = None
    unique_names: str | None = None  # a regex: its first group must be declared once in the language
    reserved: tuple[Reserved, ...] = ()  # names its generated code cannot hold (java.lang's String)
    snippet_rules: tuple[
        tuple[str, str], ...
    ] = ()  # (regex a snippet may not match, why)  # a new pattern's snippet file name (`make new-pattern`)

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
    )


def load_languages(root: Path) -> dict[str, Language]:
    """Every languages/<lang>/language.yaml under root, by name, in a stable order."""
    return {lang.name: lang for lang in (load_language(p) for p in sorted(root.glob("*/language.yaml")))}
