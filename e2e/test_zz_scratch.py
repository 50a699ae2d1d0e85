import pytest
from pathlib import Path

@pytest.mark.parametrize("axe", [False, True])
def test_scratch(page, check_a11y, axe, viewport, watch):
    if viewport != "desktop":
        pytest.skip()
    page.goto("/en/")
    page.wait_for_load_state("load")
    print("before", watch.csp_violations)
    if axe: check_a11y(page)
    print("after", watch.csp_violations)
