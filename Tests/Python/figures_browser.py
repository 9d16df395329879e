"""The figures in headless Chromium, as a leader and a clerk see them: the 指标 page with its
chart (SVG, no scripts), the big screen (大屏) at 1920×1080 and on a 390 px phone, the 文号
register and a sent 督办通知单's page. Every text ≥ 4.5:1 but the big screen's tiles, which
are checked the same way; no page scrolls sideways at 390 px. Screenshots into OUT_DIR.

figures_browser.py BASE_URL NAME PASSWORD OUT_DIR
"""
import os
import sys

from browser import Walk, chromium, walking
from selenium.webdriver.common.by import By


def main():
    base, name, password, out = sys.argv[1:5]
    os.makedirs(out, exist_ok=True)
    driver = chromium("--window-size=1280,900")
    seen = {"low_contrast": [], "overflow": {}}
    walk = Walk(driver, out, seen)
    with walking(driver, seen):
        driver.get(base + "/login")
        driver.find_element(By.ID, "name").send_keys(name)
        driver.find_element(By.ID, "password").send_keys(password)
        walk.submit(driver.find_element(By.CSS_SELECTOR, "button[type=submit]"))

        driver.get(base + "/figures")
        seen["figures_totals"] = driver.find_element(By.ID, "totals").text
        seen["chart_rows"] = len(driver.find_elements(By.CSS_SELECTOR, "svg.chart g"))
        seen["scripts"] = len(driver.find_elements(By.TAG_NAME, "script"))
        seen["worst_items"] = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#worst-items li")]
        walk.contrast("/figures")
        walk.shot("figures")

        driver.get(base + "/documents")
        seen["notices"] = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#notices tr")][1:4]
        walk.contrast("/documents")
        links = driver.find_elements(By.CSS_SELECTOR, "#notices a")
        if links:
            walk.submit(links[0])
            seen["attachments"] = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#attachments a")]
            walk.contrast("/sent/ID")

        driver.set_window_size(1920, 1080)
        driver.get(base + "/screen")
        seen["refresh"] = driver.find_element(By.CSS_SELECTOR, "meta[http-equiv=refresh]").get_attribute("content")
        seen["on_time"] = driver.find_element(By.ID, "on-time").text
        seen["overdue"] = driver.find_element(By.ID, "overdue").text
        walk.contrast("/screen")
        walk.shot("screen")

        driver.set_window_size(390, 844)
        walk.overflow(base, ("/figures", "/screen", "/documents", "/report"))
        driver.get(base + "/screen")
        walk.shot("screen-390")
        seen["console_errors"] = walk.console_errors()


main()
