"""axe-core accessibility checks (WCAG 2.2 A/AA rules) for browser tests."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def assert_accessible(page: Any) -> None:
    """Fail on any serious or critical WCAG 2.2 A/AA violation, naming each one."""
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert not bad, f"{page.url}:\n" + "\n".join(bad)


def assert_fits_phone_width(page: Any) -> None:
    """No sideways scrolling on a phone screen."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{page.url} scrolls sideways by {overflow}px"


def strict_violations(page: Any) -> list[str]:
    """Every axe-core rule, at every impact level (minor and moderate too, best practices,
    AAA and experimental rules included): one line per rule broken, with where."""
    page.evaluate(_axe.axe_script)
    rules = page.evaluate("axe.getRules().map(r => r.ruleId)")
    options = {
        "rules": {rule: {"enabled": True} for rule in rules},
        "resultTypes": ["violations"],
    }
    response = page.evaluate("options => axe.run(document, options)", options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in response["violations"]
    ]


def assert_accessible_strictly(page: Any) -> None:
    """Zero violations of every axe-core rule at every impact level."""
    bad = strict_violations(page)
    assert not bad, f"{page.url}:\n" + "\n".join(bad)
