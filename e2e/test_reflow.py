"""WCAG 1.4.10 Reflow: at 400 % zoom (a 320 CSS pixel wide viewport) a visitor reads the
home page, a community and a discussion without scrolling sideways, even when people
write long words, long links, tables and code."""

from __future__ import annotations

from typing import Any

import pytest

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities import actions as community_actions
from patientvoice.organizations import actions as organization_actions
from patientvoice.organizations.models import OrganizationKind

LONG_WORD = "Kroniskinflammatoriskatarmsjukdomsmottagningsväntetidsförlängning"
LONG_LINK = "https://example.org/" + "a-very-long-path-segment/" * 6 + "?q=" + "x" * 40

BODY = f"""I have read {LONG_LINK} and wondered about {LONG_WORD}.

| Medicine | Dose | What happened to me |
| --- | --- | --- |
| Metformin | 500 mg twice a day | {LONG_WORD} and some upset stomach |

```
a_line_of_code_that_is_much_longer_than_a_phone_at_four_hundred_percent_zoom = True
```
"""

OVERFLOWING = """
() => {
  const limit = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > limit + 1) {
      let inScroller = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)
            && p.getBoundingClientRect().right <= limit + 1) { inScroller = true; break; }
      }
      if (!inScroller) out.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}`
        + `${el.className && typeof el.className === "string" ? "." + el.className.trim()
        .split(/\\s+/).join(".") : ""} (right edge ${Math.round(box.right)}px)`);
    }
  }
  return out.slice(0, 8);
}
"""


def assert_no_horizontal_scroll(page: Any) -> None:
    scroll_width, client_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " window.innerWidth]"
    )
    assert scroll_width <= client_width <= inner_width, (
        f"{page.url} scrolls sideways at {inner_width}px: content is {scroll_width}px wide."
        f" Too wide: {', '.join(page.evaluate(OVERFLOWING))}"
    )


@pytest.fixture
def community_with_a_discussion() -> Any:
    organization = organization_actions.create_organization(
        actor=None,
        name=f"Riksförbundet för {LONG_WORD.lower()}",
        kind=OrganizationKind.ADVOCACY,
        verified=True,
    )
    community = community_actions.create_community(
        actor=None,
        name=f"{LONG_WORD} och vardagen",
        description=f"För alla som lever med {LONG_WORD}. Läs mer: {LONG_LINK}",
        organization=organization,
    )
    author = UserFactory.create(handle="lang_handle_med_understreck_x")
    community_actions.join_community(user=author, community=community)
    thread, result = community_actions.create_thread(
        author=author,
        community=community,
        title=f"Hur hanterar ni {LONG_WORD}?",
        body=BODY,
        language="sv",
    )
    assert result.published, result
    return thread


@pytest.mark.parametrize("viewport", ["reflow"], indirect=True)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_visitor_reads_without_sideways_scrolling_at_400_percent_zoom(
    page: Any, check_a11y: Any, community_with_a_discussion: Any, lang: str
) -> None:
    thread = community_with_a_discussion
    community = thread.community
    for path in (
        f"/{lang}/",
        f"/{lang}/c/{community.slug}/",
        f"/{lang}/c/{community.slug}/t/{thread.public_id}/",
    ):
        response = page.goto(path)
        assert response is not None, path
        assert response.status == 200, path
        assert LONG_WORD in page.locator("main").inner_text(), f"no demo content on {path}"
        assert_no_horizontal_scroll(page)
        check_a11y(page)
    # The moderation pages a visitor reaches: the transparency report (label and value
    # lists, tables) and the notice form.
    for path in (f"/{lang}/moderation/transparency/", f"/{lang}/moderation/notice/"):
        response = page.goto(path)
        assert response is not None, path
        assert response.status == 200, path
        assert_no_horizontal_scroll(page)
        check_a11y(page)
