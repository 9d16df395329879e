"""What the browser tests share: headless Chromium from Debian through its chromedriver, and
the wait for a clicked button's page to be replaced."""
import contextlib
import json
import os
import sys

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait


def chromium(*extra):
    """Headless Chromium at 1280×900 in Chinese."""
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=zh-CN") + extra:
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(20)
    return driver


def detached(element):
    """True once the element's page is gone. Chromium reports a node from a document that
    is being replaced either as stale or, caught mid-swap, as an inspector error "Node with
    given id does not belong to the document"; both mean the same thing here."""
    def predicate(_driver):
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in (error.msg or ""):
                return True
            raise
    return predicate


# Every visible text's contrast against the background it is drawn on (WCAG's formula):
# [tag.class, the text's start, ratio] for each element with text of its own.
CONTRAST = """
function lum(c) {
  const v = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(x => x / 255)
    .map(x => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}
function bg(e) {
  for (; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    const a = c.match(/[\\d.]+/g);
    if (a && (a.length < 4 || Number(a[3]) > 0.5)) return c;
  }
  return 'rgb(255, 255, 255)';
}
const out = [];
for (const e of document.body.querySelectorAll('*')) {
  const own = Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || e.offsetParent === null && getComputedStyle(e).position !== 'fixed') continue;
  const a = lum(getComputedStyle(e).color), b = lum(bg(e));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  out.push([e.tagName + '.' + e.className, e.textContent.trim().slice(0, 20), Math.round(ratio * 100) / 100]);
}
return out;
"""


class Walk:
    """One walk through the console: screenshots into `out`, a click that waits for the
    next page, and every text under 4.5:1 recorded in seen["low_contrast"]."""

    def __init__(self, driver, out, seen):
        self.driver, self.out, self.seen = driver, out, seen

    def shot(self, file):
        self.driver.save_screenshot(os.path.join(self.out, file + ".png"))

    def submit(self, element):
        element.click()
        WebDriverWait(self.driver, 60).until(detached(element))

    def contrast(self, page):
        for tag, text, ratio in self.driver.execute_script(CONTRAST):
            if ratio < 4.5:
                self.seen["low_contrast"].append([page, tag, text, ratio])

    def overflow(self, base, paths):
        """How far each page scrolls sideways at the window's width, in seen["overflow"]."""
        for path in paths:
            self.driver.get(base + path)
            self.seen["overflow"][path] = self.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")

    def console_errors(self):
        """The browser's errors, but for the 422 answers a refused form is meant to get."""
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE" and "status of 422" not in e["message"]]


@contextlib.contextmanager
def walking(driver, seen):
    """Runs a walk: on a failure the page it stopped at goes to stderr; the browser is closed
    whatever happened; at the end what was seen is printed as JSON for the Swift test."""
    try:
        yield
    except Exception:
        sys.stderr.write(driver.current_url + "\n" + driver.page_source[:3000] + "\n")
        raise
    finally:
        driver.quit()
    print(json.dumps(seen, ensure_ascii=False))
