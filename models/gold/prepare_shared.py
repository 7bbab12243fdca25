#!/usr/bin/env python3
"""Convert the shared labeled sets into CSV gold files for `cairn eval`.

The data lives in ../shared/data (third-party, with its SOURCE.md and license);
this script only reads it and writes converted copies into a git-ignored
folder (default .cairn/gold/). Nothing here is committed.

Splits (fixed rules, recorded in models/DATA.md):
  tweeteval sentiment  dev = val (2,000), test = test (12,284); train has no text
  amazon fine food     dev = odd Id, test = even Id; label from stars:
                       1-2 negative, 3 neutral, 4-5 positive
  vader snippets       dev = odd line id, test = even line id; score = mean
                       human rating (-4..+4), for correlation
  mams-acsa (themes)   dev = val (400), test = test (400); label = the
                       sentence's aspect categories joined by ";" (multi-label)
  clinc150 (themes)    dev = val, test = test (in-scope, 4,500); label = the
                       intent (150) and, in another column, its domain (10)
  banking77 (themes)   dev = every odd row of train (5,001), test = test
                       (3,080); label = the category (77)

Usage: python3 models/gold/prepare_shared.py [--shared ../shared/data] [--out .cairn/gold]
"""
import argparse
import csv
import os
import sys

LABELS = {"0": "negative", "1": "neutral", "2": "positive"}


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    print(f"{path}: {len(rows)} rows", file=sys.stderr)


def tweeteval(shared, out):
    base = os.path.join(shared, "tweeteval", "sentiment")
    for split, name in (("val", "dev"), ("test", "test")):
        with open(os.path.join(base, f"{split}_text.txt"), encoding="utf-8") as t, open(
            os.path.join(base, f"{split}_labels.txt"), encoding="utf-8"
        ) as l:
            texts = [x.rstrip("\n") for x in t]
            labels = [LABELS[x.strip()] for x in l]
        assert len(texts) == len(labels), split
        rows = [(f"{split}:{i + 1}", text.strip(), lab) for i, (text, lab) in enumerate(zip(texts, labels))]
        write(os.path.join(out, f"tweeteval_{name}.csv"), ["id", "text", "label"], rows)


def amazon(shared, out):
    path = os.path.join(shared, "amazon_fine_food_5k", "Reviews_first5000.csv")
    dev, test = [], []
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            stars = int(r["Score"])
            label = "negative" if stars <= 2 else "neutral" if stars == 3 else "positive"
            row = (r["Id"], r["Text"].strip(), label, stars)
            (dev if int(r["Id"]) % 2 == 1 else test).append(row)
    write(os.path.join(out, "amazon_dev.csv"), ["id", "text", "label", "stars"], dev)
    write(os.path.join(out, "amazon_test.csv"), ["id", "text", "label", "stars"], test)


def vader(shared, out):
    for name in ("movieReviewSnippets", "nytEditorialSnippets"):
        path = os.path.join(shared, "vader_snippets", f"{name}_GroundTruth.txt")
        dev, test = [], []
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 3:
                    continue
                row = (parts[0], parts[2].strip(), parts[1])
                (dev if int(parts[0]) % 2 == 1 else test).append(row)
        short = "vader_movie" if name.startswith("movie") else "vader_nyt"
        write(os.path.join(out, f"{short}_dev.csv"), ["id", "text", "score"], dev)
        write(os.path.join(out, f"{short}_test.csv"), ["id", "text", "score"], test)


def mams(shared, out):
    import xml.etree.ElementTree as ET

    for split, name in (("val", "dev"), ("test", "test")):
        root = ET.parse(os.path.join(shared, "mams_acsa", f"{split}.xml")).getroot()
        rows = []
        for i, s in enumerate(root.iter("sentence"), 1):
            text = s.findtext("text").strip()
            cats = [a.get("category") for a in s.iter("aspectCategory")]
            rows.append((i, text, ";".join(dict.fromkeys(cats))))
        write(os.path.join(out, f"mams_{name}.csv"), ["id", "text", "category"], rows)


def clinc(shared, out):
    import json

    data = json.load(open(os.path.join(shared, "clinc150", "data_full.json"), encoding="utf-8"))
    domains = json.load(open(os.path.join(shared, "clinc150", "domains.json"), encoding="utf-8"))
    domain_of = {intent: d for d, intents in domains.items() for intent in intents}
    for split, name in (("val", "dev"), ("test", "test")):
        rows = [(i, t, intent, domain_of[intent]) for i, (t, intent) in enumerate(data[split], 1)]
        write(os.path.join(out, f"clinc_{name}.csv"), ["id", "text", "intent", "domain"], rows)


def banking(shared, out):
    def read(name):
        with open(os.path.join(shared, "banking77", name), newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    train = read("train.csv")
    dev = [(i, r["text"], r["category"]) for i, r in enumerate(train, 1) if i % 2 == 1]
    test = [(i, r["text"], r["category"]) for i, r in enumerate(read("test.csv"), 1)]
    write(os.path.join(out, "banking_dev.csv"), ["id", "text", "category"], dev)
    write(os.path.join(out, "banking_test.csv"), ["id", "text", "category"], test)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(repo, "..", "shared", "data"))
    ap.add_argument("--out", default=os.path.join(repo, ".cairn", "gold"))
    a = ap.parse_args()
    if not os.path.isdir(a.shared):
        sys.exit(f"prepare_shared.py: {a.shared} not found (the shared data folder sits beside the repository)")
    os.makedirs(a.out, exist_ok=True)
    tweeteval(a.shared, a.out)
    amazon(a.shared, a.out)
    vader(a.shared, a.out)
    mams(a.shared, a.out)
    clinc(a.shared, a.out)
    banking(a.shared, a.out)


if __name__ == "__main__":
    main()
