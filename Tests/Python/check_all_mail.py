#!/usr/bin/env python3
"""After the tests: parse every message the test SMTP server received with Python's
email package and fail if any is malformed (defects, a line over 998 characters, a line
not ending in CRLF, no Date or Message-ID, an undecodable subject or body part)."""
import email, email.policy, glob, os, sys

bad = []
files = sorted(glob.glob(os.path.join(sys.argv[1], "*.eml")))
for path in files:
    raw = open(path, "rb").read()
    lines = raw.split(b"\n")
    problems = []
    if any(len(l.rstrip(b"\r")) > 998 for l in lines):
        problems.append("line over 998 characters")
    if not (all(l.endswith(b"\r") for l in lines[:-1]) and lines[-1] == b""):
        problems.append("line not ending in CRLF")
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        if msg.defects:
            problems.append(f"defects {msg.defects}")
        for h in ("Date", "Message-ID", "Subject", "From", "To"):
            if msg[h] is None:
                problems.append(f"no {h}")
        str(msg["Subject"])
        for part in msg.walk():
            if part.get_content_maintype() == "text":
                part.get_content()
    except Exception as e:  # any parse failure is a finding
        problems.append(f"{type(e).__name__}: {e}")
    if problems:
        bad.append(f"{os.path.basename(path)}: {'; '.join(problems)}")
print(f"check_all_mail: {len(files)} received emails parsed with Python's email package, {len(bad)} malformed")
for b in bad:
    print("  " + b)
sys.exit(1 if bad else 0)
