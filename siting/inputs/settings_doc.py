"""Reference of every model-file setting, generated from the pydantic models.

The walk is generic: every field of :class:`~siting.inputs.model_file.ModelFile` is
visited, a field whose type is a pydantic model becomes a TOML section (a list of models
an array of tables), and every other field a row with its key, type, default, allowed
range and description. Sections added, moved or renamed in ``model_file.py`` appear
here without any change to this module. ``siting settings`` prints the result;
``docs/model-file.md`` holds a copy that the test suite keeps current.
"""

from __future__ import annotations

import inspect
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

import annotated_types as at
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .model_file import ModelFile

_SCALARS = {bool: "boolean", int: "integer", float: "number", str: "string",
            Path: "path (string)"}
_BOUNDS = ((at.Gt, "gt", ">"), (at.Ge, "ge", ">="), (at.Lt, "lt", "<"), (at.Le, "le", "<="))


@dataclass
class Section:
    """One TOML table of the model file.

    Attributes
    ----------
    key : str
        Dotted path (``""`` for the top level), e.g. ``constraints.grid``.
    doc : str
        The model's docstring.
    array : bool
        An array of tables (``[[key]]``), one per list item.
    required : bool
        The section has no default and must be present.
    rows : list of tuple
        ``(key, type, default, allowed, description)`` per setting, as Markdown cells.
    """

    key: str
    doc: str
    array: bool = False
    required: bool = False
    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)


def _members(annotation) -> list:
    """Members of a union (``X | None`` gives ``[X, NoneType]``), else ``[annotation]``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return list(typing.get_args(annotation))
    return [annotation]


def _model_of(annotation) -> tuple[type[BaseModel] | None, bool]:
    """The pydantic model a field holds (and whether as a list), or ``(None, False)``."""
    for member in _members(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            return member, False
        args = typing.get_args(member)
        if typing.get_origin(member) is list and args and isinstance(args[0], type) \
                and issubclass(args[0], BaseModel):
            return args[0], True
    return None, False


def type_name(annotation) -> str:
    """A field's type in words, e.g. ``number or table of number``."""
    names = []
    for member in _members(annotation):
        if member is type(None):
            continue
        origin, args = typing.get_origin(member), typing.get_args(member)
        if origin is typing.Literal:
            names.append("one of " + ", ".join(f'`"{a}"`' if isinstance(a, str) else f"`{a}`"
                                               for a in args))
        elif origin is dict:
            names.append(f"table of {_inner(args[1])}" if args else "table")
        elif origin is list:
            names.append(f"list of {_inner(args[0])}" if args else "list")
        elif member in _SCALARS:
            names.append(_SCALARS[member])
        else:
            names.append(getattr(member, "__name__", str(member)))
    return " or ".join(names)


def _inner(annotation) -> str:
    """The type of a table's values or a list's items, in brackets when it is a union."""
    name = type_name(annotation)
    return f"({name})" if " or " in name else name


def _value(v) -> str:
    """A default as it is written in TOML."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {_value(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return str(v)


def _default(info) -> str:
    if info.default is PydanticUndefined and info.default_factory is None:
        return "required"
    value = info.default_factory() if info.default_factory is not None else info.default
    return "not set" if value is None else f"`{_value(value)}`"


def _allowed(info) -> str:
    """Bounds declared on the field (``ge``, ``gt``, ``le``, ``lt`` and the like)."""
    parts = []
    for meta in info.metadata:
        for kind, attr, sign in _BOUNDS:
            if isinstance(meta, kind):
                parts.append(f"{sign} {getattr(meta, attr)}")
        if not any(isinstance(meta, kind) for kind, _, _ in _BOUNDS):
            parts.append(str(meta))
    return ", ".join(parts)


def _doc(model: type[BaseModel]) -> str:
    doc = model.__doc__ or ""
    if doc == BaseModel.__doc__:
        return ""
    return inspect.cleandoc(doc).replace("``", "`")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def sections(model: type[BaseModel] = ModelFile, key: str = "", array: bool = False,
             required: bool = True) -> list[Section]:
    """Every section of ``model`` and of the models nested in it, in field order.

    Parameters
    ----------
    model : pydantic model class
        The model to walk (the whole model file by default).
    key : str
        Dotted TOML path of ``model``.
    array, required : bool
        How ``model`` appears in its parent (see :class:`Section`).
    """
    own = Section(key, _doc(model), array, required)
    nested: list[Section] = []
    for name, info in model.model_fields.items():
        if info.exclude:
            continue
        child, is_list = _model_of(info.annotation)
        path = f"{key}.{name}" if key else name
        if child is not None:
            nested += sections(child, path, is_list, _default(info) == "required")
        else:
            own.rows.append((f"`{name}`", type_name(info.annotation), _default(info),
                             _allowed(info), _cell(info.description or "")))
    return [own, *nested]


def settings_markdown() -> str:
    """The reference of every model-file setting (Markdown), as ``siting settings`` prints."""
    out = ["# Model-file settings", "",
           ("Generated from the pydantic models in `siting/inputs/model_file.py` by "
           "`siting settings` (do not edit by hand: run `siting settings > "
           "docs/model-file.md`). A model file is TOML; unknown keys are errors; a key "
           "marked *required* has no default. \"table of number\" is a TOML table such as "
           "`{2030 = 0.2, 2035 = 0.3}` (keys are period years where the setting is per "
           "period). Checks across keys (periods strictly increasing, a target for every "
           "period, ...) are reported by `siting validate`.")]
    for s in sections():
        title = "Top level" if not s.key else (f"`[[{s.key}]]` (array of tables)" if s.array
                                               else f"`[{s.key}]`")
        out += ["", f"## {title}" + (" (required)" if s.required and s.key else "")]
        if s.doc:
            out += ["", s.doc]
        if s.rows:
            out += ["", "| key | type | default | allowed | description |",
                    "|---|---|---|---|---|"]
            out += ["| " + " | ".join(r) + " |" for r in s.rows]
    return "\n".join(out) + "\n"
