#!/usr/bin/env python3
"""Parse an .eml with Python's standard email package (not Dudao's code) and print what a
mail client would see, as JSON. Used by the Swift tests to check Dudao's MIME output."""
import email
import email.policy
import json
import sys

raw = open(sys.argv[1], "rb").read()
lines = raw.split(b"\n")
msg = email.message_from_bytes(raw, policy=email.policy.default)


def boxes(header):
    value = msg[header]
    return [[a.display_name, a.addr_spec] for a in value.addresses] if value is not None else []


parts = {}
calendar_due = None
for part in msg.walk():
    ctype = part.get_content_type()
    if ctype in ("text/plain", "text/html"):
        parts[ctype] = part.get_content()
    elif ctype == "text/calendar":
        import icalendar  # from PyPI, installed by `make deps`
        cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        for event in cal.walk("VEVENT"):
            calendar_due = event.decoded("DTSTART").isoformat()
            parts["calendar_summary"] = str(event.get("SUMMARY"))
            parts["calendar_alarm"] = any(True for _ in event.walk("VALARM"))

print(json.dumps({
    "subject": msg["Subject"],
    "from": boxes("From"),
    "to": boxes("To"),
    "cc": boxes("Cc"),
    "header_names": [k for k in msg.keys()],
    "date": msg["Date"],
    "date_parsed": msg["Date"].datetime.isoformat() if msg["Date"] is not None else None,
    "message_id": msg["Message-ID"],
    "auto_submitted": msg["Auto-Submitted"],
    "x_dudao_key": msg["X-Dudao-Key"],
    "defects": [str(d) for d in msg.defects],
    "text": parts.get("text/plain"),
    "html": parts.get("text/html"),
    "calendar_due": calendar_due,
    "calendar_summary": parts.get("calendar_summary"),
    "calendar_alarm": parts.get("calendar_alarm"),
    "max_line": max(len(l) for l in lines),
    "all_crlf": all(l.endswith(b"\r") for l in lines[:-1]) and lines[-1] == b"",
}, ensure_ascii=False))
