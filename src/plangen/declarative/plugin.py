"""Each plan-type folder becomes a plugin object registered with pluggy, so a folder's plan type is
loaded, listed (``plangen plugins``), narrowed (``PLANGEN_LOAD_PLUGINS``) and blamed exactly as a
Python plugin is. A broken folder is dropped with one warning naming its file; the rest load."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from plangen.declarative import SPEC_FILE
from plangen.declarative.model import build_model, context_for
from plangen.declarative.spec import TypeSpec, read_spec
from plangen.errors import PlangenError
from plangen.hookspecs import hookimpl
from plangen.i18n import _
from plangen.plugins.plantype import PlanType

if TYPE_CHECKING:
    import pluggy

    from plangen.plugins.loading import Loaded

__version__ = "1"


class FolderPlugin:
    """The plugin of one folder: it registers the folder's one plan type."""

    def __init__(self, plan_type: PlanType) -> None:
        self.plan_type = plan_type

    @hookimpl
    def plangen_register_plan_types(self, register: Callable[[PlanType], None]) -> None:
        register(self.plan_type)


def plan_type_of(spec: TypeSpec) -> PlanType:
    """The PlanType of a checked folder: its template and example are the folder's own files."""
    return PlanType(
        name=spec.name, title=spec.title, model=build_model(spec), templates_dir=spec.folder,
        example=(spec.folder / spec.example_file).read_text(encoding="utf-8"),
        context=context_for(spec) if any(f.count_from for f in spec.fields) else None,
        aliases=spec.aliases, description=spec.description or spec.title, roster_columns=dict(spec.roster_columns),
    )


def load_folder(folder: Path) -> PlanType:
    """Read, check and build one folder's plan type; an InputError names its file (exit 2)."""
    spec = read_spec(folder)
    try:
        return plan_type_of(spec)
    except PlangenError:
        raise
    except Exception as exc:  # pydantic refusing a default, say: still the folder's fault, named
        from plangen.declarative.spec import problem
        from plangen.i18n import msg
        from plangen.plugins.blame import one_line

        raise problem(folder, msg("declarative.unusable", "cannot be used: {error}", error=one_line(exc))) from None


def plan_type_from_folder(folder: str | Path) -> PlanType:
    """The plan type of a plan-type folder (plantype.yaml, NAME.md.j2, NAME.example.yaml), for a plugin
    package made with ``plangen plugin new NAME --from FOLDER``; an error names the folder's file."""
    return load_folder(Path(folder))


def type_folders(folder: Path) -> list[Path]:
    """The plan-type folders in ``folder``: itself when it holds a plantype.yaml, else its subfolders that do."""
    if (folder / SPEC_FILE).is_file():
        return [folder]
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")) and (p / SPEC_FILE).is_file())


def folder_plugins(manager: pluggy.PluginManager, folders: Iterable[Path], loaded: Loaded, wanted: set[str] | None) -> None:
    """Register a plugin for every plan-type folder found in ``folders`` (after the ``.py`` drop-ins)."""
    from plangen.plugins import loading

    for parent in folders:
        for folder in type_folders(Path(parent)):
            try:
                plan_type = load_folder(folder)
            except PlangenError as exc:
                loaded.warnings.append(_("plan type folder {folder} is skipped: {error}", folder=folder, error=exc))
                continue
            name = plan_type.name
            if wanted is not None and name not in wanted:
                continue
            if name in loaded.sources:
                loaded.warnings.append(_("plugin {name!r} from {source} skipped: a plugin of that name is already loaded from {other}",
                                         name=name, source=folder, other=loaded.sources[name]))
                continue
            loading.register(manager, FolderPlugin(plan_type), name, str(folder), __version__, loaded)
