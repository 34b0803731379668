"""Language definitions: languages/<lang>/language.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import SpecError
from .yamlfile import load_yaml

_COMMAND = {"type": "array", "minItems": 1, "items": {"type": "string"}}

LANGUAGE_SCHEMA = {
    "type": "object",
    "required": ["name", "title", "image", "toolchain", "run"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string"},
        "title": {"type": "string"},
        "image": {"type": "string"},
        "toolchain": {
            "type": "object",
            "required": ["tools", "version", "version_regex", "minimum", "install_hint"],
            "additionalProperties": False,
            "properties": {
                "tools": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                "version": _COMMAND,
                "version_regex": {"type": "string"},
                "minimum": {"type": "string", "pattern": r"^\d+(\.\d+)*$"},
                "home_env": {"type": "string"},
                "search": {"type": "array", "items": {"type": "string"}},
                "install_hint": {"type": "string"},
            },
        },
        "env": {"type": "object", "additionalProperties": {"type": "string"}},
        "build": {"type": "array", "items": _COMMAND},
        "build_lock": {"enum": ["tree", "language"]},
        "run": _COMMAND,
        "aliases": {
            "description": "other names of the language in Markdown info strings (js), for the docs checks",
            "type": "array",
            "items": {"type": "string", "pattern": "^[a-z0-9+#-]+$"},
        },
        "primitives": {
            "description": "the primitives the suite's snippets must cover, as the language spells them",
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "uniqueItems": True,
        },
        "standin": {
            "type": "object",
            "required": ["toolchain"],
            "additionalProperties": False,
            "properties": {
                "toolchain": {"enum": ["root", "sysroot", "tool", "none"]},
                "exclude": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
}


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
    aliases: tuple[str, ...] = ()  # other names in Markdown info strings (`js`), besides `name`
    primitives: tuple[str, ...] = ()  # what the snippets must cover between them (`make coverage`)

    @property
    def template(self) -> Path:
        return self.folder / "template"


def load_language(path: Path) -> Language:
    doc = load_yaml(path)
    doc.validate(LANGUAGE_SCHEMA)
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
        aliases=tuple(data.get("aliases", ())),
        primitives=tuple(data.get("primitives", ())),
    )


def load_languages(root: Path) -> dict[str, Language]:
    """Every languages/<lang>/language.yaml under root, by name, in a stable order."""
    return {lang.name: lang for lang in (load_language(p) for p in sorted(root.glob("*/language.yaml")))}
