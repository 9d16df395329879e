"""Recomputes the report's figures from the store's own records, independently of Dudao:
python3 recompute_figures.py STORE.sqlite LIST.yaml CALENDAR.yaml FIGURES.xlsx [AGENCIES.yaml]

Reads the period from the workbook's 合计 sheet and Dudao's figures from its 各单位 sheet
(numbers, not text), recomputes each agency's from the progress and sent tables, the
list and the calendar, and prints JSON: {"period": [...], "dudao": {...}, "ours": {...}}.
The scripted records keep to reports on the whole item, one milestone per item or none
(持续推进), what the tests write; the rules below are the documented ones (README, "The
figures leaders judge by") without their corner cases."""
import datetime as dt, json, re, sqlite3, sys
import openpyxl, yaml

store, list_path, calendar_path, workbook = sys.argv[1:5]
# The list may name an agency by an alias (市消防支队); the records use the directory's name.
canonical = {}
if len(sys.argv) > 5:
    for a in yaml.safe_load(open(sys.argv[5], encoding="utf-8"))["agencies"]:
        for alias in a.get("aliases") or []:
            canonical[alias] = a["name"]
TZ = dt.timezone(dt.timedelta(hours=8))
wb = openpyxl.load_workbook(workbook)
m = re.search(r"(\d{4}-\d\d-\d\d)至(\d{4}-\d\d-\d\d)", wb["合计"]["A2"].value)
since, day = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
after = dt.datetime.combine(since, dt.time(9), TZ)
through = dt.datetime.combine(day, dt.time(9), TZ)
sheet = wb["各单位"]
header = [c.value for c in sheet[1]]
dudao = {}
for row in sheet.iter_rows(min_row=2, values_only=True):
    rec = dict(zip(header, row))
    for k, v in rec.items():
        if k != "单位" and v is not None:
            assert isinstance(v, (int, float)), f"{k} of {rec['单位']} is text: {v!r}"
    dudao[rec["单位"]] = {"items": rec["牵头事项"], "units": rec["应办结(项)"], "done": rec["已办结(项)"], "due": rec["本期到期(项)"],
                          "on_time": rec["按期办结(项)"], "overdue": rec["逾期(项)"], "longest": rec["最长逾期(天)"],
                          "responses": rec["响应(项)"], "returned": rec["退回(件)"],
                          "response_tenths": round((rec["平均响应(工作日)"] or 0) * 10)}

cal = yaml.safe_load(open(calendar_path, encoding="utf-8"))
holidays, makeup = set(), {dt.date.fromisoformat(str(d)) for d in cal.get("workdays", [])}
for h in cal["holidays"]:
    a, b = (dt.date.fromisoformat(x) for x in str(h["days"]).split(".."))
    while a <= b:
        holidays.add(a); a += dt.timedelta(days=1)
def workday(d): return d in makeup or (d.weekday() < 5 and d not in holidays)
def workdays_between(first, last):  # after `first`, through `last`
    n, d = 0, first + dt.timedelta(days=1)
    while d <= last:
        n += workday(d); d += dt.timedelta(days=1)
    return n

items = yaml.safe_load(open(list_path, encoding="utf-8"))["items"]
db = sqlite3.connect(store)
def when(text): return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(TZ)
progress = [dict(zip(("item", "status", "extended_to", "agency", "at", "origin"), r)) for r in
            db.execute("SELECT item, status, extended_to, agency, at, origin FROM progress ORDER BY id")]
for p in progress: p["at"] = when(p["at"])
sent = [dict(zip(("notice", "agency", "item", "channel", "at"), r)) for r in db.execute("SELECT notice, agency, item, channel, at FROM sent")]
AGENCY_REPORTS = {"in_progress", "reported", "done_reported", "extension_requested"}

ours = {}
for item in items:
    # Purely ongoing work (持续推进) has no deadline: no unit, never overdue by date.
    milestones = item.get("milestones") or []
    file_due = dt.date.fromisoformat(str(milestones[0]["due"])) if milestones else None
    for lead in dict.fromkeys(canonical.get(l, l) for l in item["lead"]):
        f = ours.setdefault(lead, {"items": 0, "units": 0, "done": 0, "due": 0, "on_time": 0, "overdue": 0, "longest": 0, "responses": 0, "returned": 0})
        f["items"] += 1
        applying = [p for p in progress if p["item"] == str(item["id"]) and p["agency"] in (None, lead)]
        status = applying[-1]["status"] if applying else "open"
        extended = [p for p in applying if p["status"] == "extended"]
        due = dt.date.fromisoformat(extended[-1]["extended_to"]) if extended else file_due
        if status != "cancelled" and due is not None:
            f["units"] += 1
            if status == "done": f["done"] += 1
            if since <= due < day:
                f["due"] += 1
                if status == "done":
                    closing = applying[-1]
                    told = [p for p in applying if p["status"] == "done_reported" and p["agency"] == lead and p["at"] <= closing["at"]]
                    done_day = (told[-1] if told else closing)["at"].date()
                    f["on_time"] += done_day <= due
            if status not in ("done", "done_reported") and due < day:
                f["overdue"] += 1
                f["longest"] = max(f["longest"], (day - due).days)
        reminders = [when(s["at"]).date() for s in sent if s["agency"] == lead and s["item"] == str(item["id"])
                     and s["channel"] != "skipped" and "/decision" not in s["notice"]]
        if reminders:
            first = min(reminders)
            answer = next((p for p in applying if p["status"] in AGENCY_REPORTS and p["agency"] == lead and p["at"].date() >= first), None)
            if answer and after < answer["at"] <= through:
                f["responses"] += 1
                f.setdefault("response_days", 0)
                f["response_days"] += workdays_between(first, answer["at"].date())
        f["returned"] += sum(1 for p in applying if p["status"] == "open" and p["origin"] != "office" and after < p["at"] <= through)
for f in ours.values():
    days = f.pop("response_days", 0)
    f["response_tenths"] = round(days / f["responses"] * 10) if f["responses"] else 0
print(json.dumps({"period": [since.isoformat(), day.isoformat()], "dudao": dudao, "ours": ours}, ensure_ascii=False))
