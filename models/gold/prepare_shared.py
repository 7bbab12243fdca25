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


if __name__ == "__main__":
    main()
