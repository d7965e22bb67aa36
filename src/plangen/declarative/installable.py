"""``plangen plugin new NAME --from FOLDER``: a plan-type folder as an installable package, so it can
be shared as a wheel and installed like any plugin. The folder travels inside the package unchanged
(renamed to NAME); a four-line plugin module registers it."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from plangen import files, scaffold
from plangen.declarative import SPEC_FILE
from plangen.declarative.plugin import load_folder
from plangen.errors import InputError, OutputError, Problem
from plangen.i18n import msg

PLUGIN = '''"""[[name]] — [[title]]: a plan type made from a folder (plantype.yaml, its template and example),
turned into a package by `plangen plugin new [[name]] --from FOLDER`. Edit the files in plantype/."""

from collections.abc import Callable
from pathlib import Path

from plangen import PlanType, hookimpl, plan_type_from_folder

__version__ = "0.1.0"
FOLDER = Path(__file__).resolve().parent / "plantype"


@hookimpl
def plangen_register_plan_types(register: Callable[[PlanType], None]) -> None:
    register(plan_type_from_folder(FOLDER))
'''

TEST = '''"""The example input of [[name]] generates a valid GB/T 9704 document."""

from pathlib import Path

from plangen import api
from plangen.testing.ooxml import assert_valid_ooxml

EXAMPLE = Path(__file__).resolve().parents[1] / "[[module]]" / "plantype" / "[[name]].example.yaml"


def test_example_generates(tmp_path: Path) -> None:
    path = api.generate(EXAMPLE, tmp_path)
    assert path.is_file()
    assert_valid_ooxml(path)
'''

README = """# [[dist]]

plangen 方案类型 [[name]]（[[title]]），由一个方案类型文件夹打包而成。

    pip install .
    plangen types
    plangen new [[name]] -o 输入.yaml

正文、填写项和示例都在 `[[module]]/plantype/` 里：改 `plantype.yaml`（填写项）、`[[name]].md.j2`（正文）、
`[[name]].example.yaml`（示例），不必改 Python 代码。
"""


def create_from_folder(name: str, folder: Path, dest: Path) -> list[Path]:
    """Write the package for ``folder``'s plan type, renamed ``name``, into ``dest`` (new or empty)."""
    spec_type = load_folder(folder)  # a broken folder is refused here, naming its file
    spelled = scaffold.names(name, spec_type.title)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InputError(Problem(msg("scaffold.folder-not-empty", "{folder} already exists and is not an empty folder; choose another -o", folder=dest), field="-o"))
    tokens = spelled.tokens()
    old = spec_type.name
    spec = re.sub(r"^name:.*$", f"name: {name}", (folder / SPEC_FILE).read_text(encoding="utf-8"), count=1, flags=re.M)
    example = re.sub(r"^(type:\s*)\S+", rf"\g<1>{name}", (folder / f"{old}.example.yaml").read_text(encoding="utf-8"), count=1, flags=re.M)
    pyproject = resources.files(scaffold.__name__).joinpath("pyproject.toml.tmpl").read_text(encoding="utf-8")
    contents = {
        "pyproject.toml": scaffold.fill(pyproject, tokens),
        "README.md": scaffold.fill(README, tokens),
        "[[module]]/__init__.py": f'"""{spelled.title}: plangen plan type {name}."""\n',
        "[[module]]/plugin.py": scaffold.fill(PLUGIN, tokens),
        f"[[module]]/plantype/{SPEC_FILE}": spec,
        "[[module]]/plantype/[[name]].md.j2": (folder / f"{old}.md.j2").read_text(encoding="utf-8"),
        "[[module]]/plantype/[[name]].example.yaml": example,
        "tests/test_[[slug]].py": scaffold.fill(TEST, tokens),
    }
    written: list[Path] = []
    try:
        for target, text in contents.items():
            path = dest / scaffold.fill(target, tokens)
            files.write_atomic(path, text.encode("utf-8"), exclusive=True)
            written.append(path)
    except OSError as exc:
        raise OutputError(msg("scaffold.cannot-write", "cannot write the plugin into {folder}: {reason}", folder=dest, reason=exc.strerror or exc)) from None
    return written
