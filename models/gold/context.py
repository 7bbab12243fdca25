#!/usr/bin/env python3
"""Add each gold row's source kind and message to models/gold/gold.csv.

Standard library only. The gold labels describe a snippet alone (see
models/LABELING.md), but cairn tags a snippet the way `cairn run` reads it:
with its source kind and the message it came from (the whole record, title
and body, for a ticket, review, post or survey answer; the speaker's turn
for an interview; see src/classify/message.rs). So that `cairn eval` and
`cairn model train` tag gold rows exactly as the pipeline does, this script
writes two derived columns, `kind` and `context`, and changes nothing else:

  * sample-study rows: from cairn's own export of the sample corpus, joined
    on the row's origin (file and line) and text:
        cairn ingest corpus --index /tmp/gold-idx --engine lexicon
        cairn export --format jsonl --index /tmp/gold-idx --out /tmp/gold.jsonl
  * BANKING77 queries: kind ticket, the query is the message;
  * Amazon Fine Food sentences: kind review, the whole review text (from
    $CAIRN_SHARED_DATA, default /work/shared/data);
  * TweetEval tweets: kind social, the tweet is the message.

Usage (from the repository root):

  python3 models/gold/context.py --export /tmp/gold.jsonl models/gold/gold.csv
      rewrite the file in place with the two columns filled (idempotent)
"""

import argparse
import csv
import io
import json
import os
import sys

SHARED = os.environ.get("CAIRN_SHARED_DATA", "/work/shared/data")
KINDS = {"interviews": "interview", "tickets": "ticket", "reviews": "review",
         "social": "social", "surveys": "survey"}
EXTERNAL = {"banking77": "ticket", "amazon-fine-food": "review", "tweeteval": "social"}


def norm(s):
    return " ".join(s.split())


def corpus_messages(export):
    """(path, line, text) -> (kind, message) for every customer snippet."""
    docs = {}
    snippets = []
    for line in open(export, encoding="utf-8"):
        s = json.loads(line)["snippet"]
        snippets.append(s)
        d = docs.setdefault(s["doc_id"], [])
        if s["context"] not in d:
            d.append(s["context"])
    out = {}
    for s in snippets:
        parts = docs[s["doc_id"]]
        if s["kind"] == "interview" or len(parts) == 1:
            message = s["context"]
        else:
            # segment puts the title first; the title is the context that
            # is a whole snippet of its own and not the longest part.
            parts = sorted(parts, key=lambda p: (len(p), p))
            body = [p for p in parts if p != parts[0]]
            message = "\n".join([parts[0]] + body)
        key = (s["source"]["path"], s["source"]["line"], norm(s["text"]))
        out.setdefault(key, (s["kind"], message))
    return out


def amazon_texts():
    path = os.path.join(SHARED, "amazon_fine_food_5k", "Reviews_first5000.csv")
    text = open(path, encoding="utf-8", newline="").read()
    out = {}
    # line numbers of record starts, as the gold origin gives them
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    col = header.index("Text")
    line = 2
    buf = io.StringIO(text)
    buf.readline()
    while True:
        start = line
        row_text = ""
        while True:
            l = buf.readline()
            if not l:
                break
            row_text += l
            line += 1
            try:
                rec = next(csv.reader(io.StringIO(row_text)))
                if row_text.count('"') % 2 == 0:
                    break
            except (csv.Error, StopIteration):
                continue
        if not row_text:
            break
        rec = next(csv.reader(io.StringIO(row_text)))
        if len(rec) > col:
            out[start] = rec[col]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--export", required=True, help="cairn export --format jsonl of corpus/")
    ap.add_argument("gold")
    a = ap.parse_args()
    messages = corpus_messages(a.export)
    amazon = amazon_texts()
    with open(a.gold, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        columns = list(rows[0].keys())
    for c in ("kind", "context"):
        if c not in columns:
            columns.append(c)
    missing = 0
    for r in rows:
        path, _, line = r["origin"].rpartition(":")
        if r["source"] == "sample-study":
            found = messages.get((path, int(line), norm(r["text"])))
            if found is None:
                # the origin names the field's line (JSON) or the sentence's,
                # cairn the record's: the same text in the same file, nearest
                # line first; then a snippet the row's text was cut from
                t = norm(r["text"])
                for match in (lambda k: k[2] == t, lambda k: t in k[2] or k[2] in t):
                    cands = sorted((abs(k[1] - int(line)), k[1], v) for k, v in messages.items()
                                   if k[0] == path and k[1] <= int(line) and match(k))
                    if cands:
                        found = cands[0][2]
                        break
            if found is None:
                missing += 1
                print(f"{r['id']}: no snippet at {r['origin']}", file=sys.stderr)
                found = (KINDS[path.split("/")[1]], r["text"])
            r["kind"], r["context"] = found
        else:
            r["kind"] = EXTERNAL[r["source"]]
            r["context"] = amazon.get(int(line), r["text"]) if r["source"] == "amazon-fine-food" else r["text"]
    out = io.StringIO()
    w = csv.DictWriter(out, columns, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    open(a.gold, "w", encoding="utf-8", newline="").write(out.getvalue())
    print(f"{a.gold}: {len(rows)} rows, {missing} without a corpus snippet", file=sys.stderr)


if __name__ == "__main__":
    main()
