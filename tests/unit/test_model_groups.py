"""Cutting a models module into groups by the tags that reach each class (``model_groups``)."""

from __future__ import annotations

import ast
import importlib
import shutil
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from specfirst import model_groups, runtime
from specfirst.model_groups import (
    OTHER,
    Statement,
    lazy_package,
    referenced_models,
    split_models,
)

HEADER = "# Generated. DO NOT EDIT."

SOURCE = textwrap.dedent(
    """\
    # Generated. DO NOT EDIT.
    from __future__ import annotations

    from enum import Enum
    from typing import Annotated, Literal

    from pydantic import Field

    from ._runtime.base import BaseModel


    class Kind(Enum):
        dog = "dog"
        cat = "cat"


    class NewPet(BaseModel):
        name: Annotated[str, Field(description="Not a Store, nor an Address.")]
        kind: Kind = Kind.dog
        label: Literal["User"] | None = None


    class Pet(NewPet):
        id: int
        tags: list[str] | None = None


    class Address(BaseModel):
        city: str


    class Store(BaseModel):
        pets: list[Pet]
        address: Address
        manager: "User | None" = None


    class User(BaseModel):
        address: Address


    class Orphan(BaseModel):
        x: int


    Store.model_rebuild()


    from ._runtime.base import constrain  # noqa: E402

    constrain(Pet, unique=("tags",))
    """
)

ROOTS = {
    "pets": frozenset({"Pet", "NewPet"}),
    "stores": frozenset({"Store"}),
    "users": frozenset({"User"}),
}


def _module_imports(source: str) -> set[str]:
    return {
        node.module or ""
        for node in ast.parse(source).body
        if isinstance(node, ast.ImportFrom) and node.level == 1
    }


def test_classes_go_to_the_group_of_exactly_the_tags_that_reach_them() -> None:
    split = split_models(SOURCE, ROOTS, HEADER, min_classes=0)
    assert split is not None
    groups = {name: split.module_of[name] for name in split.module_of}
    # Store names User in a string annotation: stores reaches User and Address too
    assert groups["Store"] == "_tag_stores"
    assert groups["Pet"] == groups["NewPet"] == groups["Kind"]  # pets and stores
    assert groups["User"] == groups["Address"]  # stores and users
    assert groups["Pet"] != groups["User"]
    assert groups["Orphan"] == OTHER
    # prose and Literal values are no references: NewPet's description names Store and
    # Address, its Literal "User", yet pets reaches neither
    assert "pets" not in split.files[f"models/{groups['Address']}.py"]
    assert set(split.files) == {f"models/{m}.py" for m in set(groups.values())} | {
        "models/__init__.py",
        "models/__init__.pyi",
    }


def test_groups_import_each_other_without_circles_and_keep_the_order() -> None:
    split = split_models(SOURCE, ROOTS, HEADER, min_classes=0)
    assert split is not None
    graph = {
        path.removeprefix("models/").removesuffix(".py"): _module_imports(text)
        for path, text in split.files.items()
        if "__init__" not in path
    }
    # every relative import is another group (or the runtime, one level up)
    for module, targets in graph.items():
        assert targets <= set(graph), (module, targets)
    seen: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, f"import circle: {(*path, module)}"
        if module in seen:
            return
        seen.add(module)
        for target in graph[module]:
            visit(target, (*path, module))

    for module in graph:
        visit(module, ())
    pets = split.files[f"models/{split.module_of['Pet']}.py"]
    assert pets.index("class Kind") < pets.index("class NewPet") < pets.index("class Pet(")
    # the schema rule goes with its class, its import without the E402 exemption
    assert "constrain(Pet, unique=" in pets
    assert "noqa" not in pets
    assert "from .._runtime.base import BaseModel" in pets
    store = split.files["models/_tag_stores.py"]
    assert f"from .{split.module_of['Pet']} import Pet" in store
    assert "constrain(" not in store


def test_every_module_is_valid_python_and_every_class_is_defined_once() -> None:
    split = split_models(SOURCE, ROOTS, HEADER, min_classes=0)
    assert split is not None
    defined: list[str] = []
    for text in split.files.values():
        tree = ast.parse(text)
        assert text.startswith(HEADER)
        defined += [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    assert sorted(defined) == sorted(split.module_of)
    # no validator is built at import (``defer_build``): pydantic rebuilds on first use
    assert not any("model_rebuild" in text for text in split.files.values())


def test_small_apis_and_unknown_statements_keep_one_module() -> None:
    assert split_models(SOURCE, ROOTS, HEADER) is None  # 7 classes: below MIN_CLASSES
    assert split_models(SOURCE, {"pets": ROOTS["pets"]}, HEADER, min_classes=0) is None
    odd = SOURCE + "\nif True:\n    pass\n"
    assert split_models(odd, ROOTS, HEADER, min_classes=0) is None


def test_the_split_is_deterministic() -> None:
    first = split_models(SOURCE, ROOTS, HEADER, min_classes=0)
    again = split_models(SOURCE, dict(reversed(list(ROOTS.items()))), HEADER, min_classes=0)
    assert first is not None and again is not None
    assert first.files == again.files


def test_referenced_models() -> None:
    text = "body: models.Pet\nrt.Json(200, list[models.Store])\nnot_models.X"
    assert referenced_models([text]) == {"Pet", "Store"}


def test_lazy_package_imports_a_submodule_on_first_use(tmp_path: Path) -> None:
    package = tmp_path / "lazy_groups_pkg"
    package.mkdir()
    files = lazy_package("# h", "Doc.", {"_a": ["One", "Two"], "_b": ["Three"]})
    for name, text in files.items():
        (package / name).write_text(text)
    assert "from ._a import One as One, Two as Two" in files["__init__.pyi"]
    assert "__getattr__" not in files["__init__.pyi"]  # a misspelt name stays a type error
    (package / "_a.py").write_text("class One: ...\nclass Two: ...\n")
    (package / "_b.py").write_text("class Three: ...\n")
    sys.path.insert(0, str(tmp_path))
    try:
        module = importlib.import_module("lazy_groups_pkg")
        assert "lazy_groups_pkg._a" not in sys.modules
        assert module.One.__module__ == "lazy_groups_pkg._a"
        assert "lazy_groups_pkg._a" in sys.modules
        assert "lazy_groups_pkg._b" not in sys.modules
        assert {"One", "Two", "Three"} <= set(dir(module))
        with pytest.raises(AttributeError, match="no attribute 'Four'"):
            _ = module.Four
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("lazy_groups_pkg")]:
            del sys.modules[name]


def test_a_subclass_imports_what_its_inherited_fields_refer_to() -> None:
    source = textwrap.dedent(
        """\
        from __future__ import annotations

        from typing import Any

        from ._runtime.base import BaseModel


        class Ref(BaseModel):
            x: int


        class Base(BaseModel):
            ref: Ref | None = None
            extra: Any = None


        class Admin(Base):
            level: int


        class Member(Base):
            y: int
        """
    )
    roots = {"admins": frozenset({"Admin"}), "members": frozenset({"Member"})}
    split = split_models(source, roots, HEADER, min_classes=0)
    assert split is not None
    admins = split.files["models/_tag_admins.py"]
    shared = split.module_of["Base"]
    # pydantic resolves Base's annotations in Admin's module: Ref and Any must be there
    assert f"from .{shared} import Base\n" in admins
    assert f"from .{shared} import Ref as Ref\n" in admins
    assert "from typing import Any as Any\n" in admins


ANNOTATED = textwrap.dedent(
    """\
    from __future__ import annotations

    from datetime import date
    from typing import Annotated, Literal

    from pydantic import Field

    from ._runtime.base import BaseModel


    class Node(BaseModel):
        name: Annotated[str, Field(description="a Leaf's name")]
        children: list[Node] | None = None
        leaf: Leaf | None = None


    class Leaf(BaseModel):
        when: date | None = None
        day: date
        kind: Literal["Node", "Leaf"] = "Leaf"


    class Holder(BaseModel):
        node: Node
        leaf: Leaf
        size: Annotated[int, Field(ge=0)] = 0
    """
)


def test_group_modules_evaluate_annotations_that_need_no_string(tmp_path: Path) -> None:
    """Group modules have no ``from __future__ import annotations``: pydantic evaluating
    each annotation from a string is most of creating a class. Only an annotation naming a
    class defined later (or itself), or a name the class body bound before it, stays a string,
    and every class is the model the single module defined."""
    split = split_models(
        ANNOTATED, {"a": frozenset({"Node"}), "b": frozenset({"Holder"})}, HEADER, min_classes=0
    )
    assert split is not None
    shared = split.files[f"models/{split.module_of['Node']}.py"]
    assert all("__future__" not in text for text in split.files.values())
    assert '    children: "list[Node] | None" = None\n' in shared  # itself
    assert '    leaf: "Leaf | None" = None\n' in shared  # defined after it
    assert '    name: Annotated[str, Field(description="a Leaf\'s name")]\n' in shared
    assert "    when: date | None = None\n" in shared and "    day: date\n" in shared
    assert '    kind: Literal["Node", "Leaf"] = "Leaf"\n' in shared
    holder = split.files["models/_tag_b.py"]
    assert "    node: Node\n" in holder and "    size: Annotated[int, Field(ge=0)] = 0\n" in holder

    package = tmp_path / "annotated_pkg"
    shutil.copytree(Path(runtime.__file__).parent, package / "_runtime")
    (package / "__init__.py").write_text("")
    (package / "whole.py").write_text(ANNOTATED)
    for name, text in split.files.items():
        (package / name).parent.mkdir(exist_ok=True)
        (package / name).write_text(text)
    sys.path.insert(0, str(tmp_path))
    try:
        whole = importlib.import_module("annotated_pkg.whole")
        models = importlib.import_module("annotated_pkg.models")
        for name in ("Node", "Leaf", "Holder"):
            split_class, whole_class = getattr(models, name), getattr(whole, name)
            assert split_class.model_json_schema() == whole_class.model_json_schema()
        leaf = {"date": "2026-01-02", "when": None, "day": "2026-01-03"}
        data = {"node": {"name": "n", "children": [{"name": "c", "leaf": leaf}]}, "leaf": leaf}
        assert models.Holder.model_validate(data).model_dump(mode="json") == (
            whole.Holder.model_validate(data).model_dump(mode="json")
        )
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("annotated_pkg")]:
            del sys.modules[name]


def test_an_annotation_after_a_field_named_like_its_type_stays_a_string() -> None:
    """``date: date | None = None`` binds ``date`` in the class body before its annotation is
    evaluated (and so for every later one): those stay strings, as they were."""
    when = "    when: date | None = None\n"
    source = ANNOTATED.replace(when, "    date: date | None = None\n" + when)
    split = split_models(
        source, {"a": frozenset({"Node"}), "b": frozenset({"Holder"})}, HEADER, min_classes=0
    )
    assert split is not None
    shared = split.files[f"models/{split.module_of['Leaf']}.py"]
    assert '    date: "date | None" = None\n' in shared
    assert '    when: "date | None" = None\n' in shared and '    day: "date"\n' in shared


def test_the_base_models_carry_no_annotations_at_run_time() -> None:
    """pydantic evaluates the annotations of a base class's private names again for each
    model it creates (strings compiled each time): the runtime's base classes declare their
    class variables' types for type checkers only, so there is nothing to evaluate."""
    from specfirst.runtime import base

    for cls in (base.BaseModel, base.RootModel, base.PythonReBaseModel, base.PythonReRootModel):
        for klass in cls.__mro__:
            if klass.__module__ == base.__name__:
                assert not vars(klass).get("__annotations__"), klass


def test_long_and_multiline_annotations_are_quoted_as_written() -> None:
    """A union of hundreds of classes (Microsoft Graph's) is quoted without recursing once per
    member, and an annotation over several lines, comments and escapes included, becomes one
    string literal holding exactly its source."""
    members = " | ".join(f"Leaf{i}" for i in range(600))
    written = (
        "Annotated[\n"
        "        Later | None,  # the next class\n"
        '        Field(description="a \\\\ and a \\"quote\\" é"),\n'
        "    ]"
    )
    source = textwrap.dedent(
        """\
        from __future__ import annotations

        from typing import Annotated

        from pydantic import Field

        from ._runtime.base import BaseModel


        class Root(BaseModel):
            many: MEMBERS | Later
            one: WRITTEN = None


        class Later(BaseModel):
            x: int
        """
    )
    source = source.replace("MEMBERS", members).replace("WRITTEN", written)
    source += "".join(f"\n\nclass Leaf{i}(BaseModel):\n    x: int\n" for i in range(600))
    split = split_models(
        source, {"a": frozenset({"Root"}), "b": frozenset({"Root"})}, HEADER, min_classes=0
    )
    assert split is not None
    text = split.files[f"models/{split.module_of['Root']}.py"]
    root = next(n for n in ast.parse(text).body if isinstance(n, ast.ClassDef) and n.name == "Root")
    many, one = (s.annotation for s in root.body if isinstance(s, ast.AnnAssign))
    assert isinstance(many, ast.Constant) and many.value == f"{members} | Later"
    assert isinstance(one, ast.Constant) and one.value == written
    compile(one.value, "<annotation>", "eval")


def test_after_an_edit_only_the_statements_that_changed_are_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a memo, each top-level statement is read once: the next run parses only the
    statements whose text changed, and cuts the module exactly as a run without it does."""
    parsed: list[str] = []
    statements = model_groups._statements

    def recording(text: str) -> list[Statement]:
        parsed.append(text)
        return statements(text)

    monkeypatch.setattr(model_groups, "_statements", recording)
    memo: dict[str, list[Statement]] = {}
    first = split_models(SOURCE, ROOTS, HEADER, min_classes=0, memo=memo)
    assert first == split_models(SOURCE, ROOTS, HEADER, min_classes=0)
    edited = SOURCE.replace("    city: str\n", "    city: str\n    zip: str | None = None\n")
    parsed.clear()
    second = split_models(edited, ROOTS, HEADER, min_classes=0, memo=memo)
    assert [text.split("(")[0] for text in parsed] == ["class Address"]
    assert second == split_models(edited, ROOTS, HEADER, min_classes=0)
    assert second is not None
    assert any("zip: str | None" in text for text in second.files.values())


def test_after_an_edit_only_the_classes_that_changed_are_written_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With ``annotated``, each class's source as its group writes it is kept: the next run
    reads the annotations of the classes whose text, or whose forward references in their
    group, changed, and writes the modules exactly as a run without it does."""
    read: list[str] = []
    quoted = model_groups._quoted

    def reading(text: str, annotations: Iterable[Any], later: set[str]) -> str:
        read.append(text)
        return quoted(text, annotations, later)

    monkeypatch.setattr(model_groups, "_quoted", reading)
    memo: dict[str, list[Statement]] = {}
    annotated: dict[str, str] = {}
    first = split_models(SOURCE, ROOTS, HEADER, min_classes=0, memo=memo, annotated=annotated)
    assert first == split_models(SOURCE, ROOTS, HEADER, min_classes=0)
    edited = SOURCE.replace("    city: str\n", "    city: str\n    zip: str | None = None\n")
    read.clear()
    second = split_models(edited, ROOTS, HEADER, min_classes=0, memo=memo, annotated=annotated)
    assert [text.split("(")[0] for text in read] == ["class Address"]
    assert second == split_models(edited, ROOTS, HEADER, min_classes=0)
    # Store's annotation names User: imported from another group, it is evaluated; defined
    # after Store in the same group, it must stay a string
    forward = edited.replace('manager: "User | None" = None', "manager: User | None = None")
    apart = split_models(forward, ROOTS, HEADER, min_classes=0, memo=memo, annotated=annotated)
    assert apart == split_models(forward, ROOTS, HEADER, min_classes=0)
    together = {"pets": ROOTS["pets"], "people": ROOTS["stores"] | ROOTS["users"]}
    one = split_models(forward, together, HEADER, min_classes=0, memo=memo, annotated=annotated)
    assert one == split_models(forward, together, HEADER, min_classes=0)
    assert one is not None and apart is not None
    assert 'manager: "User | None" = None' in "".join(one.files.values())
    assert "manager: User | None = None" in "".join(apart.files.values())


def test_a_module_not_cut_at_statements_is_parsed_whole() -> None:
    """A line at the first column inside a multi-line string cuts no statement."""
    source = SOURCE.replace(
        "class Orphan(BaseModel):\n    x: int\n",
        'class Orphan(BaseModel):\n    """A note\nat the first column.\n    """\n\n    x: int\n',
    )
    memo: dict[str, list[Statement]] = {}
    assert split_models(source, ROOTS, HEADER, min_classes=0, memo=memo) == split_models(
        source, ROOTS, HEADER, min_classes=0
    )
