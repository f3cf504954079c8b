"""axe-core in the browser: the vendored `e2e/vendor/axe-core/axe.min.js` run against the page.

The site's Content-Security-Policy refuses injected <script> tags, so the library is evaluated
through Playwright (DevTools' evaluation is not subject to the page's CSP) and run there.
"""

from pathlib import Path

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IMPACTS = ("serious", "critical")

_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160)})),
  }));
}"""


def axe_violations(page) -> list[dict]:
    """The page's serious and critical WCAG 2.0/2.1 A and AA violations, as axe reports them."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    return [v for v in page.evaluate(_RUN, TAGS) if v["impact"] in IMPACTS]


def describe(violations: dict[str, list[dict]]) -> str:
    """A readable list, page by page, for a failure message."""
    lines = []
    for where, found in violations.items():
        for v in found:
            lines.append(f"{where}: [{v['impact']}] {v['id']} — {v['help']}")
            for node in v["nodes"][:5]:
                lines.append(f"    {node['target']}  {node['html']}")
            if len(v["nodes"]) > 5:
                lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)
