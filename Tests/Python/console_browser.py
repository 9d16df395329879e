"""The console in a real browser: headless Chromium driven by Selenium through Debian's
chromedriver. Logs in, reads the 台账, follows an agency's reply link taken from an email,
submits a done report with a file, confirms it in the review queue, and reads the light
again. Saves a screenshot of each page in OUT_DIR; prints what it saw as JSON.

console_browser.py BASE_URL LINK NAME PASSWORD FILE OUT_DIR
"""
import json
import os
import sys

from browser import chromium, detached
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def main():
    base, link, name, password, upload, out = sys.argv[1:7]
    os.makedirs(out, exist_ok=True)
    driver = chromium()
    seen = {"console_errors": []}

    def shot(name):
        driver.save_screenshot(os.path.join(out, name + ".png"))

    def submit(element):
        """Clicks a submit button and waits until the next page has replaced this one: a
        click returns before the POST is answered (bcrypt in a debug build takes a while)."""
        element.click()
        WebDriverWait(driver, 60).until(detached(element))

    def light(item):
        return driver.find_element(By.CSS_SELECTOR, f'#ledger tr[data-item="{item}"] .light').text

    try:
        driver.get(base + "/")
        seen["login_url"] = driver.current_url
        driver.find_element(By.ID, "name").send_keys(name)
        driver.find_element(By.ID, "password").send_keys(password)
        shot("1-login")
        submit(driver.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        seen["dashboard_title"] = driver.title
        seen["light_before"] = light("1")
        seen["alert_escaped"] = "<script>alert(1)</script>托育" in driver.find_element(By.ID, "ledger").text
        shot("2-dashboard")

        # The agency, in its own browser session: no cookies of the office.
        driver.delete_all_cookies()
        driver.get(link)
        seen["reply_title"] = driver.title
        driver.find_element(By.CSS_SELECTOR, 'select#item option[value="1"]').click()
        driver.find_element(By.CSS_SELECTOR, 'input[name=action][value=done]').click()
        driver.find_element(By.ID, "text").send_keys("已出台托育服务实施方案（郑卫〔2026〕8号）")
        driver.find_element(By.ID, "percent").send_keys("100")
        driver.find_element(By.ID, "files").send_keys(upload)
        shot("3-reply")
        submit(driver.find_element(By.CSS_SELECTOR, "form#report button[type=submit]"))
        seen["receipt"] = driver.find_element(By.TAG_NAME, "body").text
        shot("4-receipt")

        # The office again: review and confirm.
        driver.get(base + "/login")
        driver.find_element(By.ID, "name").send_keys(name)
        driver.find_element(By.ID, "password").send_keys(password)
        submit(driver.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        driver.get(base + "/review")
        card = driver.find_element(By.CSS_SELECTOR, '.card[data-item="1"]')
        seen["review_card"] = card.text
        shot("5-review")
        submit(card.find_element(By.CSS_SELECTOR, "button[value=confirm]"))
        seen["confirmation"] = driver.find_element(By.ID, "confirm").text
        shot("5b-confirm")
        submit(driver.find_element(By.ID, "confirm-button"))
        seen["decision"] = driver.find_element(By.ID, "message").text
        driver.get(base + "/")
        seen["light_after"] = light("1")
        shot("6-dashboard-after")
        driver.set_window_size(390, 844)
        driver.get(base + "/items/1")
        seen["narrow_scroll_width"] = driver.execute_script("return document.documentElement.scrollWidth")
        shot("7-item-narrow")
        seen["console_errors"] = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        driver.quit()
    print(json.dumps(seen, ensure_ascii=False))


main()
