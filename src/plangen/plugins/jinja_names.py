"""Names plugins add to the jinja environment, each owned by the plugin that added it.

Filters, tests and globals are shared by every plan type; a second plugin adding a name another
plugin already added would silently replace it (and change the first plugin's documents), so that
is a PluginError naming both plugins and the name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from plangen.errors import PluginError
from plangen.i18n import msg
from plangen.plugins.blame import calling_plugin


class ClaimedNames(dict[str, Any]):
    """A dict that notes which plugin set each key, for the length of one ``plangen_prepare_jinja`` call."""

    def __init__(self, data: Mapping[str, Any], kind: str, impls: list[Any], owners: dict[tuple[str, str], str]) -> None:
        super().__init__(data)
        self._kind = kind
        self._impls = impls
        self._owners = owners

    def __setitem__(self, key: str, value: Any) -> None:
        plugin = calling_plugin(self._impls, f"added the jinja {self._kind} {key!r}")
        first = self._owners.setdefault((self._kind, key), plugin)
        if first != plugin:
            raise PluginError(msg(
                "plugin.jinja-name-twice",
                "jinja {kind} {key!r} is added by plugin {first!r} and by plugin {plugin!r}; "
                "filters, tests and globals are shared by all plan types, so one of them must rename it",
                kind=self._kind, key=key, first=first, plugin=plugin))
        super().__setitem__(key, value)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def __ior__(self, other: Any) -> ClaimedNames:  # type: ignore[override,misc]
        self.update(other)
        return self


KINDS: Iterable[tuple[str, str]] = (("filters", "filter"), ("tests", "test"), ("globals", "global"))


def prepare(env: Any, hook: Any, impls: list[Any]) -> None:
    """Call ``plangen_prepare_jinja`` with the environment's name tables watched, then make them plain
    dicts again (rendering reads them on every template compile)."""
    owners: dict[tuple[str, str], str] = {}
    for attr, kind in KINDS:
        setattr(env, attr, ClaimedNames(getattr(env, attr), kind, impls, owners))
    try:
        hook.plangen_prepare_jinja(environment=env)
    finally:
        for attr, _ in KINDS:
            setattr(env, attr, dict(getattr(env, attr)))
