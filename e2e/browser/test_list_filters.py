"""Finding requests in Express (issue 15), in a real browser: the list's filters in the address (no patient name
ever), the patient-name search sent by POST and shown as a chip, and an admin's CSV of the current filter (names
only when asked for; refused to a scheduler)."""
import csv
import io

from selenium.webdriver.common.by import By

from changes_support import csrf_of, form_of_button, post_form, station_of
from test_scenarios import express_sign_in

HEADER = ["Care request ID", "Status", "Created", "Visit window start", "Visit window end", "Service line", "Market",
          "Source", "Created by"]


def row_ids(b):
    return [row.get_attribute("data-live-id") for row in b.driver.find_elements(By.CSS_SELECTOR, "tbody tr")]


def statuses(b):
    return {cell.text for cell in b.driver.find_elements(By.CSS_SELECTOR, "tbody tr .status")}


def download(b, names):
    """The CSV form of the page sent as the browser sends it (with "Include patient names" ticked or not)."""
    action, fields = form_of_button(b, "Download CSV")
    if names:
        fields["names"] = "1"
    status, headers, text = post_form(b, action, {**fields, "csrf": csrf_of(b)})
    assert status == 200, (status, text[:500])
    assert headers.get("content-type", "").startswith("text/csv"), headers
    assert "attachment" in headers.get("content-disposition", ""), headers
    assert "no-store" in headers.get("cache-control", ""), headers
    return list(csv.reader(io.StringIO(text)))


def test_24_an_admin_filters_finds_by_name_and_downloads_the_csv(browser, second_browser, system):
    station = station_of(system)
    b = browser
    care = station.create_sunrise_request(station.free_windows(3, 5)[0], complaint="Browser tier, list")
    express_sign_in(b, system, "admin@sunrise.example")
    with b.step("filter on Requested: the filter is in the address, every row is Requested"):
        b.go(system["express"] + "/care-requests")
        b.driver.find_element(By.CSS_SELECTOR, "details.filters summary").click()
        b.choose("Status", "Requested")
        b.press("Apply filters")
        assert "status=requested" in b.url, b.url
        assert statuses(b) == {"Requested"}, statuses(b)
        assert care in row_ids(b)
    with b.step("find by patient name: the name is in no address, the filter is kept"):
        b.fill("Find by patient name", "Whitfield")
        b.press("Find")
        assert "whitfield" not in b.url.lower(), b.url
        rows = b.rows()
        assert rows and all("Whitfield" in row for row in rows), rows
        assert statuses(b) == {"Requested"} and care in row_ids(b)
        assert "Whitfield" in b.driver.find_element(By.CSS_SELECTOR, ".chip").text
        assert all("whitfield" not in (a.get_attribute("href") or "").lower()
                   for a in b.driver.find_elements(By.TAG_NAME, "a"))
    with b.step("the CSV of this filter, without patient names"):
        table = download(b, names=False)
        assert table[0] == HEADER, table[0]
        ids = [row[0] for row in table[1:]]
        assert care in ids and len(ids) >= len(row_ids(b)), (ids, row_ids(b))  # every page, not only this one
        assert {row[1] for row in table[1:]} == {"Requested"}, {row[1] for row in table[1:]}
        assert "Whitfield" not in "\n".join(",".join(row) for row in table)
    with b.step("the CSV with patient names, when asked for"):
        table = download(b, names=True)
        assert table[0] == HEADER[:1] + ["Patient"] + HEADER[1:], table[0]
        assert table[1:] and all("Whitfield" in row[1] for row in table[1:]), table[:3]
    with b.step("removing the name chip keeps the status filter"):
        b.click(b.driver.find_element(By.CSS_SELECTOR, ".chip a"))
        assert not b.driver.find_elements(By.CSS_SELECTOR, ".chip")
        assert statuses(b) == {"Requested"}, statuses(b)
    scheduler = second_browser
    express_sign_in(scheduler, system, "scheduler@sunrise.example")
    with scheduler.step("a scheduler has no CSV form, and sending one by hand is refused"):
        assert not scheduler.has_button("Download CSV")
        status, _, page = post_form(scheduler, system["express"] + "/care-requests/export",
                                    {"tab": "current", "csrf": csrf_of(scheduler)})
        assert status == 403, (status, page[:300])
