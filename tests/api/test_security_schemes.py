"""One definition per way of signing in to the API. django-ninja names each security scheme
of the OpenAPI document after its class, so two classes of one name (``SignedIn`` was
written in both the booking and the clinic routers) are listed under one key and the
document describes only one of them, whatever the other does. Read from the source with
``ast``."""

from __future__ import annotations

import ast
from pathlib import Path

from django.test import Client

API = Path(__file__).resolve().parents[2] / "src" / "rehabit" / "api"
# django-ninja's security base classes (ninja.security).
AUTH_BASES = {
    "SessionAuth",
    "SessionAuthSuperUser",
    "SessionAuthIsStaff",
    "APIKeyCookie",
    "APIKeyHeader",
    "APIKeyQuery",
    "HttpBearer",
    "HttpBasicAuth",
    "AuthBase",
}


def _scheme_classes(root: Path) -> dict[str, list[str]]:
    """Each class of ``root`` built on a ninja security class (or on one of these) -> the
    files that define a class of that name."""
    found: dict[str, list[str]] = {}
    classes: list[tuple[ast.ClassDef, str]] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        classes += [
            (n, str(path.relative_to(root))) for n in ast.walk(tree) if isinstance(n, ast.ClassDef)
        ]
    schemes = set(AUTH_BASES)
    grew = True
    while grew:
        grew = False
        for node, _where in classes:
            bases = {
                b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
            }
            if bases & schemes and node.name not in schemes:
                schemes.add(node.name)
                grew = True
    for node, where in classes:
        if node.name in schemes and node.name not in AUTH_BASES:
            found.setdefault(node.name, []).append(where)
    return found


def test_each_security_scheme_of_the_api_is_defined_once() -> None:
    found = _scheme_classes(API)
    assert "SignedIn" in found and "TherapistOnly" in found, found
    assert {name: files for name, files in found.items() if len(files) > 1} == {}


def test_the_check_sees_a_second_definition(tmp_path: Path) -> None:
    for part in ("a", "b"):
        (tmp_path / f"{part}.py").write_text(
            "from ninja.security import SessionAuth\n\nclass SignedIn(SessionAuth):\n    pass\n"
        )
    assert _scheme_classes(tmp_path) == {"SignedIn": ["a.py", "b.py"]}


def test_the_document_lists_each_scheme_once_and_every_operation_names_one() -> None:
    spec = Client().get("/api/v1/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert set(schemes) == {"SignedIn", "TherapistOnly"}
    named = {
        name
        for item in spec["paths"].values()
        for operation in item.values()
        for rule in operation.get("security", [])
        for name in rule
    }
    assert named == set(schemes)
