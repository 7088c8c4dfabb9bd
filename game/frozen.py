"""``replace``: ``dataclasses.replace`` for the engine's frozen slots dataclasses, ~3-4x
faster (a move copies a ``Room`` of 28 fields once or twice; the stdlib's generic
``replace`` was the largest cost of ``apply``).

For the type checker this *is* ``dataclasses.replace``: mypy checks every call's field
names and types as before. At run time, a class that is a frozen slots dataclass whose
fields are all ``init`` fields and which has no ``__post_init__`` is copied slot by slot
(what its ``__init__`` would store, without running it); anything else goes to the
stdlib.

``maker(cls)``: the same idea for building one (``from_dict`` builds a room per load):
typed as ``cls`` itself, so mypy checks its calls as it checks ``cls(...)``.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

__all__ = ["maker", "replace"]

Copier = Callable[..., Any]
_COPIERS: dict[type, Copier] = {}
P = ParamSpec("P")
T = TypeVar("T")


def _slot_fields(cls: type) -> tuple[dataclasses.Field[Any], ...] | None:
    """The fields of ``cls`` when its instances may be filled slot by slot (a frozen
    dataclass without instance dicts whose every field is a slot of its own, or, compiled
    by mypyc, a native attribute; every field an ``init`` field; no ``__post_init__``),
    else None."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None:
        return None
    fields = dataclasses.fields(cls)
    if (
        not params.frozen
        or cls.__dictoffset__ != 0
        or hasattr(cls, "__post_init__")
        or not all(f.init and _is_slot(getattr(cls, f.name, None)) for f in fields)
    ):
        return None
    return fields


def _is_slot(attribute: object) -> bool:
    """A slot's descriptor (``__slots__``), or a mypyc native class's attribute."""
    return isinstance(attribute, (types.MemberDescriptorType, types.GetSetDescriptorType))


def _scope(cls: type, names: list[str]) -> dict[str, Any]:
    # (cls.__new__: object.__new__ for a plain class; mypyc's classes have their own.)
    scope: dict[str, Any] = {"_new": cls.__new__, "_cls": cls, "_TypeError": TypeError}
    scope["_setters"] = setters = {name: getattr(cls, name).__set__ for name in names}
    scope.update({f"_set_{i}": setters[name] for i, name in enumerate(names)})
    return scope


def _compile(cls: type) -> Copier:
    """A copier for ``cls``: straight-line code setting each slot (what ``dataclasses``
    itself does for ``__init__``), or the stdlib ``replace`` when that is not safe."""
    fields = _slot_fields(cls)
    if fields is None:
        return dataclasses.replace
    # Field names are identifiers (dataclasses checked them), so safe to put in code.
    names = [f.name for f in fields]
    scope = _scope(cls, names)
    source = "\n".join(
        [
            "def copy(obj, /, **changes):",
            "    new = _new(_cls)",
            *(f"    _set_{i}(new, obj.{name})" for i, name in enumerate(names)),
            "    for name, value in changes.items():",
            "        set_field = _setters.get(name)",
            "        if set_field is None:",
            f"            raise _TypeError(f'{cls.__name__} has no field {{name!r}}')",
            "        set_field(new, value)",
            "    return new",
        ]
    )
    exec(source, scope)  # only field names (identifiers) went into the code
    copier: Copier = scope["copy"]
    return copier


def maker(cls: Callable[P, T]) -> Callable[P, T]:
    """A constructor taking what ``cls(...)`` takes and filling the slots directly (~2x
    faster than the ``__init__`` of a frozen dataclass); ``cls`` itself when that is not
    safe (see ``_slot_fields``; also default factories, keyword-only fields and field
    names that could clash with the helper's own names)."""
    fields = _slot_fields(cls) if isinstance(cls, type) else None
    if fields is None or any(
        f.default_factory is not dataclasses.MISSING or f.kw_only or f.name.startswith("_")
        for f in fields
    ):
        return cls
    assert isinstance(cls, type)
    names = [f.name for f in fields]
    scope = _scope(cls, names)
    params = []
    for i, f in enumerate(fields):
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            scope[f"_default_{i}"] = f.default
            params.append(f"{f.name}=_default_{i}")
    source = "\n".join(
        [
            f"def make({', '.join(params)}):",
            "    _made = _new(_cls)",
            *(f"    _set_{i}(_made, {name})" for i, name in enumerate(names)),
            "    return _made",
        ]
    )
    exec(source, scope)  # only field names (identifiers) went into the code
    made: Callable[P, T] = scope["make"]
    return made


def _replace(obj: Any, /, **changes: Any) -> Any:
    cls = type(obj)
    copier = _COPIERS.get(cls)
    if copier is None:
        copier = _COPIERS[cls] = _compile(cls)
    return copier(obj, **changes)


# For mypy ``replace`` is ``dataclasses.replace`` (so it checks each call's fields); at run
# time the fast copier takes its place. (Not ``if TYPE_CHECKING: ... else: ...``: mypyc
# compiles the branch mypy never enters as unreachable, which raises when it runs.)
from dataclasses import replace  # noqa: E402

globals()["replace"] = _replace
