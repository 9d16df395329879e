"""The documents attached to the emails in a file outbox: python3 outbox_documents.py OUTBOX_DIR SAVE_DIR

Parses every .eml with Python's email package, saves each .docx attachment to SAVE_DIR and
reads its 文号 paragraph and full text with python-docx. Prints JSON: {"documents": [...]}, each
{"file", "subject", "attachment" (the name the reader sees), "saved", "number", "text"}."""
import email, email.policy, glob, json, os, sys
import docx

outbox, save = sys.argv[1:3]
os.makedirs(save, exist_ok=True)
found = []
for path in sorted(glob.glob(os.path.join(outbox, "*", "*.eml"))):
    m = email.message_from_bytes(open(path, "rb").read(), policy=email.policy.default)
    for k, part in enumerate(m.iter_attachments()):
        name = part.get_filename() or ""
        if not name.endswith(".docx"):
            continue
        saved = os.path.join(save, f"{len(found):04d}.docx")
        open(saved, "wb").write(part.get_payload(decode=True))
        d = docx.Document(saved)
        paragraphs = [p.text for p in d.paragraphs]
        cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
        found.append({"file": os.path.relpath(path, outbox), "subject": str(m["subject"]), "attachment": name, "saved": saved,
                      "number": next((p for p in paragraphs if "〔" in p), None), "text": "\n".join(paragraphs + cells),
                      "body": m.get_body(("plain",)).get_content()})
print(json.dumps({"documents": found}, ensure_ascii=False))
