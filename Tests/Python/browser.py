"""What the browser tests share: headless Chromium from Debian through its chromedriver, and
the wait for a clicked button's page to be replaced."""
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service


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
