"""Accessibility checks of one screen: axe-core 4.12 (WCAG 2.0–2.2 A/AA rules, with the WCAG
2.2 `target-size` rule turned on: it is off by default) and this kiosk's own bar, every touch
target at least 64 CSS px high."""

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()
OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
MIN_TARGET_PX = 64


def serious_violations(page):
    results = AXE.run(page, options=OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def small_targets(page):
    """Every visible button and input shorter than 64 px, by its text or id."""
    return page.evaluate(
        # The QR reader's field (data-not-a-target) is typed into by the reader, never touched.
        """(min) => [...document.querySelectorAll('button, input:not([data-not-a-target]), [role=button]')]
            .filter(e => e.offsetParent !== null || getComputedStyle(e).position === 'fixed')
            .map(e => [e.id || e.textContent.trim().slice(0, 30), e.getBoundingClientRect().height])
            .filter(([, height]) => height > 0 && height < min)""",
        MIN_TARGET_PX,
    )


def audit(page, name, findings):
    """Adds what is wrong with the screen on `page` to `findings` (name → problems)."""
    problems = serious_violations(page) + [f"touch target {label!r} is {height:.0f} px high" for label, height in small_targets(page)]
    if problems:
        findings[name] = problems
