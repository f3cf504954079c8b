"""Helpers of the phone-width e2e tests: layout checks run in the page, and the artefacts
(screenshots) a reviewer looks at, saved under var/e2e-artifacts/ (not committed)."""

from django.conf import settings

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1366, "height": 900}


def artefact(page, name: str) -> None:
    folder = settings.VAR_DIR / "e2e-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth > window.innerWidth")


# Each table row whose name cell and figure cells do not all lie inside the viewport.
ROWS_OUTSIDE = """(selector) => {
  const width = window.innerWidth;
  const bad = [];
  for (const row of document.querySelectorAll(selector)) {
    const cells = [...row.querySelectorAll('th, td')].filter((cell) => {
      const box = cell.getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    });
    const outside = cells.filter((cell) => {
      const box = cell.getBoundingClientRect();
      return box.left < 0 || box.right > width + 0.5;
    });
    const empty = row.querySelector('.empty') !== null;  // "no units": one cell, no figures
    if ((!empty && cells.length < 2) || outside.length) bad.push(row.innerText.slice(0, 80));
  }
  return bad;
}"""


def rows_outside(page, selector: str) -> list[str]:
    return page.evaluate(ROWS_OUTSIDE, selector)


# Header links whose text runs over more than one line.
WRAPPED_NAV_ITEMS = """() => [...document.querySelectorAll('.site-nav li a, .site-nav .link-button')]
  .filter((element) => element.getBoundingClientRect().width > 0)
  .filter((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    return lines.size !== 1;
  })
  .map((element) => element.textContent.trim())"""


def wrapped_nav_items(page) -> list[str]:
    return page.evaluate(WRAPPED_NAV_ITEMS)
