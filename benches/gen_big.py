#!/usr/bin/env python3
"""Writes a large, realistic support-ticket export for memory and speed
measurements (docs/BENCHMARKS.md): a Zendesk-style CSV, the same records as
JSON Lines or as one pretty-printed JSON array, or a Word interview
transcript (`.docx`) whose `word/document.xml` is about that size.
Deterministic for a given size and seed.

    python3 benches/gen_big.py csv   /tmp/big.csv   1024   # size in MiB
    python3 benches/gen_big.py jsonl /tmp/big.jsonl 1024
    python3 benches/gen_big.py json  /tmp/big.json  36
    python3 benches/gen_big.py docx  /tmp/big.docx  40     # MiB of XML

Bodies are stitched from sentence pools (complaints, praise, questions,
requests), with quoted commas, doubled quotes and line breaks inside fields,
emails and phone numbers to redact, a few invalid dates and ratings, and one
record in 50,000 with an unbalanced quote (CSV) or a truncated line (JSONL),
as real exports have. Never commit the output.
"""

import csv
import json
import random
import sys
import zipfile
from xml.sax.saxutils import escape

OPENERS = [
    "Hi team,", "Hello,", "Hey support,", "Good morning,", "Hi there,", "",
    "To whom it may concern,", "Hi,",
]
PAINS = [
    "Bank sync has been failing since Tuesday and my balances are wrong.",
    "The CSV export times out every single time I try to download last year.",
    "I was charged twice for the annual plan, please refund the duplicate.",
    "The mobile app crashes on launch after the latest update.",
    "Reconciliation takes forever because transactions show up twice.",
    "I can't log in with SSO, it says \"invalid assertion\" and loops back.",
    "Invoices generated this month have the wrong VAT rate on them.",
    "The price went up 40% with no notice, which is frankly unacceptable.",
    "Receipts uploaded from my phone never attach to the right expense.",
    "Support took five days to answer my last ticket, that's too slow.",
    "The dashboard is so slow it takes a minute to load the reports page.",
    "Categories reset themselves after every import, so I redo them by hand.",
    "Two-factor codes arrive late or not at all, I'm locked out again.",
    "Payroll export drops the last employee in the list, every month.",
]
GAINS = [
    "Otherwise I love how simple the budgeting screen is.",
    "Your onboarding was great and the team picked it up in a day.",
    "The new rules engine saves me hours each week, thank you.",
    "Honestly the best accounting tool we've used, apart from this.",
    "Thanks for the quick fix last time, it really helped.",
]
ASKS = [
    "Can you tell me when this will be fixed?",
    "Is there a workaround I can use in the meantime?",
    "Could you escalate this to engineering?",
    "Please call me back at +1 415 555 0{n:03d} when you can.",
    "You can reach me at user{n}@example.com for details.",
    "Do you offer a discount for nonprofits?",
    "How do I add a second bank account to the same workspace?",
]
SUBJECTS = [
    "Bank sync failing", "Export times out", "Double charge", "App crash",
    "SSO login loop", "Wrong VAT on invoices", "Price increase", "Slow dashboard",
    "Receipts not attaching", "2FA codes late", "Payroll export bug", "Question",
    "Feature request", "Refund, please", "Categories reset",
]
STATUSES = ["open", "pending", "solved", "closed"]
SATISFACTION = ["good", "bad", "offered", "unoffered", "good with comment", ""]


def body(rng, n):
    parts = [rng.choice(OPENERS)]
    for _ in range(rng.randint(2, 5)):
        pool = rng.choices([PAINS, GAINS, ASKS], weights=[6, 2, 3])[0]
        parts.append(rng.choice(pool).format(n=n % 1000))
    sep = "\n" if rng.random() < 0.15 else " "
    return sep.join(p for p in parts if p)


def record(rng, n):
    day = 1 + n % 28
    month = 1 + (n // 28) % 12
    date = f"2025-{month:02d}-{day:02d}T{n % 24:02d}:{n % 60:02d}:00Z"
    if n % 9973 == 0:
        date = "not a date"
    return {
        "id": str(100000 + n),
        "created_at": date,
        "subject": rng.choice(SUBJECTS),
        "description": body(rng, n),
        "status": rng.choice(STATUSES),
        "priority": rng.choice(["low", "normal", "high", "urgent"]),
        "requester": f"customer{n % 50000}@example.com",
        "satisfaction": rng.choice(SATISFACTION),
    }


def run(text):
    """One Word run, with the formatting markup Word writes around it."""
    return (
        '<w:r><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/>'
        '<w:sz w:val="22"/></w:rPr><w:t xml:space="preserve">'
        + escape(text)
        + "</w:t></w:r>"
    )


def docx(rng, out, limit):
    """An interview transcript: `Name: text` paragraphs, a run a sentence."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/'
        'wordprocessingml/2006/main"><w:body>'
    ]
    size = len(parts[0])
    n = 0
    while size < limit:
        n += 1
        if n % 2:
            text = [f"Interviewer: {rng.choice(ASKS).format(n=n % 1000)}"]
        else:
            text = [f"Participant {n // 200 % 40}: " + body(rng, n).replace("\n", " ")]
        p = "<w:p>" + "".join(run(t) for t in text) + "</w:p>"
        parts.append(p)
        size += len(p)
    parts.append("</w:body></w:document>")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Default Extension="xml"'
            ' ContentType="application/xml"/></Types>',
        )
        z.writestr("word/document.xml", "".join(parts))
    print(f"{out}: {n} paragraphs, {size} bytes of XML", file=sys.stderr)


def main():
    fmt, out, mib = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 7
    rng = random.Random(seed)
    limit = mib << 20
    if fmt == "docx":
        return docx(rng, out, limit)
    n = 0
    with open(out, "w", newline="", encoding="utf-8") as f:
        if fmt == "csv":
            w = csv.writer(f, lineterminator="\n")
            w.writerow(list(record(rng, 0).keys()))
        if fmt == "json":
            f.write("[\n")
        while f.tell() < limit:
            n += 1
            r = record(rng, n)
            if fmt == "json":
                text = json.dumps(r, ensure_ascii=False, indent=2)
                f.write(("" if n == 1 else ",\n") + "  " + text.replace("\n", "\n  "))
            elif fmt == "csv":
                if n % 50000 == 0:
                    r["description"] = '"' + r["description"]
                    f.write(",".join(r.values()) + "\n")
                else:
                    w.writerow(r.values())
            else:
                line = json.dumps(r, ensure_ascii=False)
                if n % 50000 == 0:
                    line = line[: len(line) // 2]
                f.write(line + "\n")
        if fmt == "json":
            f.write("\n]\n")
    print(f"{out}: {n} records", file=sys.stderr)


if __name__ == "__main__":
    main()
