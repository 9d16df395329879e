"""A clerk's lists and directory in headless Chromium at 1280×800, no shell: an upload with
two errors shows them at their cells; the fixed file's preview; publish; a new revision's
diff; an agency added with a mobile (masked on the list); a file's agency read-only with
its file; the list rolled back. Every text ≥ 4.5:1; the pages fit a 390 px phone.
Screenshots in OUT_DIR. Prints what it saw as JSON.

lists_browser.py BASE_URL NAME PASSWORD BAD_XLSX GOOD_XLSX V2_XLSX OUT_DIR
"""
import os
import sys

from browser import Walk, chromium, walking
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def main():
    base, name, password, bad, good, v2, out = sys.argv[1:8]
    os.makedirs(out, exist_ok=True)
    driver = chromium("--window-size=1280,800")
    seen = {"low_contrast": [], "overflow": {}}

    walk = Walk(driver, out, seen)
    shot, submit, contrast = walk.shot, walk.submit, walk.contrast

    def upload(path, key="", target=""):
        driver.get(base + "/lists")
        driver.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(path)
        if target:
            Select(driver.find_element(By.NAME, "target")).select_by_value(target)
        field = driver.find_element(By.NAME, "key")
        field.clear()
        field.send_keys(key)
        submit(driver.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]"))

    def body():
        return driver.find_element(By.TAG_NAME, "body").text

    with walking(driver, seen):
        driver.get(base + "/login")
        driver.find_element(By.ID, "name").send_keys(name)
        driver.find_element(By.ID, "password").send_keys(password)
        submit(driver.find_element(By.CSS_SELECTOR, "button[type=submit]"))

        upload(bad, key="L1")
        seen["errors"] = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "#errors td")]
        contrast("list errors")
        shot("lists-1-errors")

        upload(good, key="L1")
        seen["preview"] = body()
        contrast("preview")
        shot("lists-2-preview")
        submit(driver.find_element(By.ID, "publish"))
        seen["published"] = driver.find_element(By.ID, "message").text
        contrast("/lists")
        shot("lists-3-published")

        upload(v2, target="L1")
        seen["diff"] = driver.find_element(By.ID, "diff-counts").text
        seen["diff_rows"] = len(driver.find_elements(By.CSS_SELECTOR, "#diff tr")) - 1
        driver.execute_script("arguments[0].scrollIntoView()", driver.find_element(By.ID, "diff-counts"))
        shot("lists-4-diff")
        submit(driver.find_element(By.ID, "publish"))

        driver.get(base + "/")
        seen["dashboard"] = body()
        shot("lists-5-dashboard")

        driver.get(base + "/agencies/new")
        for field, value in [("name", "市数据局"), ("c0_name", "李联络"), ("c0_role", "联络员"), ("c0_email", "sjj@zhengzhou.example"),
                             ("c0_mobile", "13812341234")]:
            driver.find_element(By.NAME, field).send_keys(value)
        contrast("/agencies/new")
        submit(driver.find_element(By.ID, "save"))
        seen["agency"] = body()
        shot("agencies-2-added")
        driver.get(base + "/agencies")
        seen["agencies"] = body()
        contrast("/agencies")
        shot("agencies-1-list")
        driver.find_element(By.LINK_TEXT, "市卫健委").click()
        seen["file_agency_source"] = driver.find_element(By.ID, "source").text
        seen["file_agency_forms"] = len(driver.find_elements(By.ID, "save"))
        shot("agencies-3-file")

        driver.get(base + "/lists/L1")
        driver.find_element(By.NAME, "confirm").click()
        submit(driver.find_element(By.CSS_SELECTOR, "button.warn"))
        seen["rolled"] = driver.find_element(By.ID, "message").text
        driver.get(base + "/lists/L1")
        seen["history"] = driver.find_element(By.ID, "revisions").text
        contrast("/lists/L1")
        shot("lists-6-rolled-back")

        driver.set_window_size(390, 844)
        walk.overflow(base, ("/lists", "/lists/L1", "/agencies", "/agencies/new"))
        shot("agencies-new-390")
        seen["console_errors"] = walk.console_errors()


main()
