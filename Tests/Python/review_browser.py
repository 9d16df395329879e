"""The office's review and the liaison's pages in headless Chromium: Enter in a date field
decides nothing; a card that is wrong shows its error beside itself with what was typed;
every decision has a confirmation and 返回修改 keeps the text; a decision can be withdrawn;
every text on the console's pages has a contrast of at least 4.5:1; the 台账 and the
liaison's pages read at 390 px. Screenshots in OUT_DIR. Prints what it saw as JSON.

review_browser.py BASE_URL LINK NAME PASSWORD DIGEST_HTML OUT_DIR NEXT_REPORT
"""
import os
import sys

from browser import CONTRAST, chromium, detached, walking
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

# Every element with its own text: its colour against the first opaque background up
# the tree (WCAG 2 relative luminance). Badges, buttons and boxes included.
def main():
    base, link, name, password, digest, out, next_report = sys.argv[1:8]
    os.makedirs(out, exist_ok=True)
    driver = chromium("--allow-file-access-from-files")
    seen = {"low_contrast": []}

    def shot(file):
        driver.save_screenshot(os.path.join(out, file + ".png"))

    def submit(element):
        element.click()
        WebDriverWait(driver, 60).until(detached(element))

    def card(item):
        return driver.find_element(By.CSS_SELECTOR, f'.card[data-item="{item}"]')

    def contrast(page):
        for tag, text, ratio in driver.execute_script(CONTRAST):
            if ratio < 4.5:
                seen["low_contrast"].append([page, tag, text, ratio])

    with walking(driver, seen):
        driver.get(base + "/login")
        contrast("login")
        driver.find_element(By.ID, "name").send_keys(name)
        driver.find_element(By.ID, "password").send_keys(password)
        submit(driver.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        for page in ("/", "/plan", "/outbox", "/items/2"):
            driver.get(base + page)
            contrast(page)

        # Enter in the date field of an extension request: nothing is decided.
        driver.get(base + "/review")
        contrast("/review")
        field = card("2").find_element(By.CSS_SELECTOR, "input[name=date]")
        card("2").find_element(By.CSS_SELECTOR, "textarea").send_keys("先看看")
        field.send_keys(Keys.ENTER)
        WebDriverWait(driver, 20).until(detached(field))
        seen["after_enter_url"] = driver.current_url
        seen["after_enter_confirm"] = len(driver.find_elements(By.ID, "confirm"))
        seen["after_enter_card"] = len(driver.find_elements(By.CSS_SELECTOR, '.card[data-item="2"] input[name=date]'))
        seen["after_enter_comment"] = card("2").find_element(By.CSS_SELECTOR, "textarea").get_attribute("value")
        card("2").find_element(By.CSS_SELECTOR, "textarea").clear()

        # Refused without a comment: the error beside its card, the date typed kept.
        field = card("2").find_element(By.CSS_SELECTOR, "input[name=date]")
        driver.execute_script("arguments[0].value = '2031-09-30'", field)
        submit(card("2").find_element(By.CSS_SELECTOR, "button[value=refuse]"))
        seen["card_error"] = card("2").find_element(By.CSS_SELECTOR, ".error").text
        seen["card_error_class"] = card("2").get_attribute("class")
        seen["kept_date"] = card("2").find_element(By.CSS_SELECTOR, "input[name=date]").get_attribute("value")
        seen["success_boxes"] = len(driver.find_elements(By.ID, "message"))
        contrast("/review error")

        # With a comment: the confirmation; 返回修改 keeps it; then confirmed.
        card("2").find_element(By.CSS_SELECTOR, "textarea").send_keys("请先报送省级审批意见")
        submit(card("2").find_element(By.CSS_SELECTOR, "button[value=refuse]"))
        seen["confirmation"] = driver.find_element(By.ID, "confirm").text
        contrast("confirm")
        submit(driver.find_element(By.ID, "back-button"))
        seen["kept_comment"] = card("2").find_element(By.CSS_SELECTOR, "textarea").get_attribute("value")
        submit(card("2").find_element(By.CSS_SELECTOR, "button[value=refuse]"))
        submit(driver.find_element(By.ID, "confirm-button"))
        seen["decided"] = driver.find_element(By.ID, "message").text
        seen["card_2_left"] = len(driver.find_elements(By.CSS_SELECTOR, '.card[data-item="2"]:not(.recent)'))

        # Withdrawn: the request is back in the queue.
        recent = driver.find_element(By.CSS_SELECTOR, '.recent[data-item="2"]')
        submit(recent.find_element(By.CSS_SELECTOR, "button"))
        seen["withdraw_confirmation"] = driver.find_element(By.ID, "confirm").text
        submit(driver.find_element(By.ID, "confirm-button"))
        seen["withdrawn"] = driver.find_element(By.ID, "message").text
        seen["card_2_back"] = len(driver.find_elements(By.CSS_SELECTOR, '.card[data-item="2"]:not(.recent)'))

        # A phone: the review card, the 台账 with its titles readable.
        driver.set_window_size(390, 844)
        driver.get(base + "/review")
        driver.execute_script("arguments[0].scrollIntoView()", card("1"))
        shot("review-card-390")
        driver.get(base + "/")
        seen["title_cell_width"] = driver.execute_script(
            "return document.querySelector('#ledger tr[data-item] td:nth-child(3)').getBoundingClientRect().width")

        # The admin's pages on a phone: wide tables scroll inside their box, the page does not.
        for path, file in [("/accounts", "accounts-390"), ("/audit", "audit-390")]:
            driver.get(base + path)
            contrast(path)
            seen[file + "_overflow"] = driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            shot(file)
        seen["audit_rows"] = len(driver.find_elements(By.CSS_SELECTOR, "#audit tr")) - 1

        # The liaison, with no cookies of the office: 签收 with one click (on a phone), then a
        # progress report with a promised date.
        driver.delete_all_cookies()
        driver.get(link)
        contrast("reply")
        seen["sign_button"] = driver.find_element(By.CSS_SELECTOR, "form#sign button").text
        seen["sign_button_right"] = driver.execute_script("return document.querySelector('form#sign button').getBoundingClientRect().right")
        submit(driver.find_element(By.CSS_SELECTOR, "form#sign button"))
        seen["signed"] = driver.find_element(By.ID, "signed").text
        seen["sign_scroll_width"] = driver.execute_script("return document.documentElement.scrollWidth")
        shot("reply-signed-390")
        driver.find_element(By.CSS_SELECTOR, 'select#item option[value="1"]').click()
        driver.find_element(By.CSS_SELECTOR, 'input[name=action][value=progress]').click()
        driver.find_element(By.ID, "text").send_keys("已完成方案起草")
        driver.execute_script("document.getElementById('next_report').value = arguments[0]", next_report)
        submit(driver.find_element(By.CSS_SELECTOR, "form#report button[type=submit]"))
        seen["receipt"] = driver.find_element(By.ID, "receipt").text
        seen["receipt_scroll_width"] = driver.execute_script("return document.documentElement.scrollWidth")
        contrast("receipt")
        shot("receipt-390")
        driver.get(link)
        seen["history"] = driver.find_element(By.CSS_SELECTOR, '.item[data-item="1"] .history').text
        seen["reply_scroll_width"] = driver.execute_script("return document.documentElement.scrollWidth")
        driver.execute_script("arguments[0].scrollIntoView()", driver.find_element(By.CSS_SELECTOR, '.item[data-item="1"]'))
        shot("reply-reopened-390")

        # A long digest as a phone's mail client shows it.
        driver.get("file://" + digest)
        seen["digest_top"] = driver.find_element(By.TAG_NAME, "body").text[:400]
        shot("digest-390")
        seen["console_errors"] = [e["message"] for e in driver.get_log("browser")
                                  if e["level"] == "SEVERE" and not e["message"].startswith("file://")
                                  and "status of 422" not in e["message"]]   # the card refused on purpose


if __name__ == "__main__":
    main()
