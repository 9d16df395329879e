"""A clerk's week in headless Chromium at 1280×800, no shell: move item 2's deadline by a
leader's order, cancel item 3, record item 1's paper reply, download the 台账, open the
weekly report and print it to PDF (Chromium's own print), find a message sent to an agency
on a day. Every text ≥ 4.5:1; the pages fit a 390 px phone. Screenshots and the download
in OUT_DIR. Prints what it saw as JSON.

clerk_week.py BASE_URL NAME PASSWORD NEW_DEADLINE SENT_DAY SCAN_PDF OUT_DIR
"""
import base64
import glob
import os
import sys
import time

from browser import Walk, chromium, walking
from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def main():
    base, name, password, deadline, sent_day, scan, out = sys.argv[1:8]
    os.makedirs(out, exist_ok=True)
    downloads = os.path.join(out, "downloads")
    os.makedirs(downloads, exist_ok=True)
    for old in glob.glob(os.path.join(downloads, "*")):
        os.remove(old)
    driver = chromium("--window-size=1280,800")
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    seen = {"low_contrast": [], "overflow": {}}

    walk = Walk(driver, out, seen)
    shot, submit, contrast = walk.shot, walk.submit, walk.contrast

    def text(selector):
        return driver.find_element(By.CSS_SELECTOR, selector).text

    def act(item, kind, fields, shot_name=None):
        """Opens the item's 办理 panel, fills `kind`'s form, goes to the confirmation, confirms."""
        driver.get(f"{base}/items/{item}")
        panel = driver.find_element(By.ID, "act-" + kind)
        panel.find_element(By.TAG_NAME, "summary").click()
        for field, value in fields.items():
            element = panel.find_element(By.NAME, field)
            if element.tag_name == "select":
                Select(element).select_by_value(value)
            elif element.get_attribute("type") == "file":
                element.send_keys(value)
            elif element.get_attribute("type") == "date":
                driver.execute_script("arguments[0].value = arguments[1]", element, value)
            else:
                element.clear()
                element.send_keys(value)
        if shot_name:
            driver.execute_script("arguments[0].scrollIntoView()", panel)
            shot(shot_name + "-form")
        submit(panel.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        confirmation = text("#confirm")
        contrast("confirm " + kind)
        if shot_name:
            shot(shot_name + "-confirm")
        submit(driver.find_element(By.ID, "confirm-button"))
        return confirmation

    with walking(driver, seen):
        driver.get(base + "/login")
        driver.find_element(By.ID, "name").send_keys(name)
        driver.find_element(By.ID, "password").send_keys(password)
        submit(driver.find_element(By.CSS_SELECTOR, "button[type=submit]"))

        seen["deadline_confirm"] = act("2", "deadline", {"date": deadline, "reason": "市政府领导批示：延至一季度末"}, "week-1-deadline")
        seen["deadline_message"] = text("#message")
        seen["deadline_standing"] = text("#standing")
        contrast("/items/2")
        shot("week-2-deadline-done")

        seen["cancel_confirm"] = act("3", "cancel", {"reason": "市政府常务会议决定不再实施"})
        seen["cancel_message"] = text("#message")
        seen["cancel_standing"] = text("#standing")

        seen["proxy_confirm"] = act("1", "proxy", {"state": "reported", "source": "纸质来函", "reason": "已完成场地选址，附纸质材料", "files": scan}, "week-3-paper-reply")
        seen["proxy_message"] = text("#message")
        seen["proxy_reports"] = text("#reports")
        seen["proxy_files"] = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#reports a[href^='/files/']")]
        seen["proxy_standing"] = text("#standing")

        driver.get(base + "/")
        contrast("/")
        shot("week-4-dashboard")
        driver.find_element(By.ID, "ledger-download").click()
        deadline_at = time.time() + 30
        files = []
        while time.time() < deadline_at:
            files = [f for f in glob.glob(os.path.join(downloads, "*.xlsx"))]
            if files and not glob.glob(os.path.join(downloads, "*.crdownload")):
                break
            time.sleep(0.2)
        seen["download"] = files[0] if files else ""
        if files:
            sheet = load_workbook(files[0]).worksheets[0]
            seen["ledger_header"] = [c.value for c in sheet[1]]
            seen["ledger_rows"] = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, values_only=False)]
            seen["ledger_rows"] = [[v if isinstance(v, (str, int, float)) or v is None else str(v) for v in row] for row in seen["ledger_rows"]]

        driver.get(base + "/report")
        seen["report"] = text("#report")
        contrast("/report")
        shot("week-5-report")
        pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "paperWidth": 8.27, "paperHeight": 11.69})["data"])
        with open(os.path.join(out, "week-report.pdf"), "wb") as f:
            f.write(pdf)
        seen["pdf"] = {"bytes": len(pdf), "magic": pdf[:5].decode("latin-1"), "pages": pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")}
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        seen["print_hides"] = driver.execute_script(
            "return ['header', 'form.filters'].map(s => getComputedStyle(document.querySelector(s)).display)")
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

        driver.get(base + "/sent")
        Select(driver.find_element(By.NAME, "agency")).select_by_value("市卫健委")
        for field in ("from", "to"):
            driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.NAME, field), sent_day)
        submit(driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"))
        seen["sent_rows"] = [tr.text for tr in driver.find_elements(By.CSS_SELECTOR, "#sent tr[data-id]")]
        contrast("/sent")
        shot("week-6-sent")
        links = driver.find_elements(By.CSS_SELECTOR, "#sent tr[data-id] a")
        if links:
            submit(links[0])
            seen["sent_meta"] = text("#message-meta")
            seen["sent_text"] = text("#sent-text")
            contrast("/sent/ID")
            shot("week-7-sent-message")

        driver.set_window_size(390, 844)
        walk.overflow(base, ("/items/2", "/sent", "/report", "/"))
        driver.get(base + "/items/2")
        shot("week-item-390")
        seen["console_errors"] = walk.console_errors()


main()
