"""Sign in and open a workspace with the keyboard alone."""
from conftest import ADMIN, screenshot, unique


def focused(page):
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return el ? { tag: el.tagName, id: el.id, text: (el.textContent || '').trim(), type: el.type || '' } : null;
        }"""
    )


def tab_until(page, predicate, limit=80, key="Tab"):
    for _ in range(limit):
        page.keyboard.press(key)
        f = focused(page)
        if f and predicate(f):
            return f
    raise AssertionError(f"never reached the element; last focus: {focused(page)}")


def test_skip_link_is_first_and_moves_focus_to_main(open_page):
    page, _ = open_page(None, viewport="mobile", path="/#/signin")
    page.keyboard.press("Tab")
    f = focused(page)
    assert f["id"] == "skip-link", f
    assert page.locator("#skip-link").is_visible()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    assert page.evaluate("location.hash") == "#/signin"


def test_sign_in_and_open_workspace_by_keyboard(open_page, api):
    target = api(ADMIN).create_workspace(unique("Tastatur Fokusgruppe"))
    page, probe = open_page(None, viewport="desktop", path="/#/signin")

    tab_until(page, lambda f: f["id"] == "signin-email")
    page.keyboard.type(ADMIN[0])
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "signin-password"
    page.keyboard.type(ADMIN[1])
    page.keyboard.press("Enter")

    page.get_by_test_id("workspace-list").wait_for()
    page.locator(f'[data-testid="workspace-row"][data-id="{target["id"]}"]').wait_for()
    screenshot(page, "keyboard-after-signin")
    tab_until(page, lambda f: f["tag"] == "A" and f["text"] == target["name"], limit=200)
    page.keyboard.press("Enter")

    page.wait_for_function("id => location.hash === '#/workspaces/' + id", arg=target["id"])
    page.locator("#page-title", has_text=target["name"]).wait_for()
    # Focus follows the navigation to the new page's heading.
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'page-title'")
    # And back with the keyboard: the back link sits just before the heading.
    tab_until(page, lambda f: f["tag"] == "A" and f["text"].endswith("Zur Übersicht der Arbeitsgruppen"), limit=5, key="Shift+Tab")
    page.keyboard.press("Enter")
    page.get_by_test_id("workspace-list").wait_for()
    assert probe.page_errors == []
    screenshot(page, "keyboard-back-in-directory")


def test_keyboard_focus_is_visible(open_page):
    page, _ = open_page(None, viewport="desktop", path="/#/signin")
    tab_until(page, lambda f: f["id"] == "signin-email")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), outline
