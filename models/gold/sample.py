#!/usr/bin/env python3
"""Deterministic sampler for cairn's human-labeled gold set.

Standard library only. It draws the snippets of models/gold/gold.csv:

  * 324 sentences from the sample study in corpus/ (115 from interview
    participant turns, 80 ticket bodies, 60 review titles and bodies, 42 social
    posts, 27 survey comments), and
  * 150 texts from the shared data in /work/shared/data (50 BANKING77 test
    queries, 50 Amazon Fine Food review sentences, 50 TweetEval sentiment
    test tweets),

and assigns each one to the `dev` or `test` split. The label columns are left
empty: labels are written by hand (see models/LABELING.md).

Usage (from the repository root):

  python3 models/gold/sample.py --out /tmp/gold_unlabeled.csv
      write the sampled rows (id,source,origin,text,<empty labels>,split)
  python3 models/gold/sample.py --check models/gold/gold.csv
      re-sample and check that gold.csv has exactly the sampled ids, texts,
      origins and splits, that it parses, and that every label is allowed

Everything is deterministic: one fixed seed (SEED, one stream per source
kind), sorted file lists, and a sha256 hash of the id for the split (stratified
by source and kind, near-duplicate "twin" sentences kept in one split; see
assign_splits). Re-running gives the same bytes. The rules are described in
models/LABELING.md, section 2.
"""

import argparse
import codecs
import csv
import difflib
import hashlib
import io
import json
import os
import random
import re
import sys

SEED = 20260401
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORPUS = os.path.join(REPO, "corpus")
SHARED = os.environ.get("CAIRN_SHARED_DATA", "/work/shared/data")

# How many snippets to draw per source kind.
QUOTA = {
    "interview": 99,  # 11 per interview file, 9 files
    "interview-journey": 27,  # + 3 per file from answers to journey questions (see JOURNEY)
    "ticket": 80,
    "review": 60,
    "social": 42,
    "survey": 27,
    "banking77": 50,
    "amazon-fine-food": 50,
    "tweeteval": 50,
}

COLUMNS = ["id", "source", "origin", "text", "sentiment", "stage", "intent_signal",
           "intent_cluster", "quadrant", "theme", "split"]

# The ticket set (models/gold/tickets.csv): bank support queries labeled for
# sentiment only, 4 per BANKING77 intent from its train file (the gold set's 50
# come from its test file), so short support language without feeling words has
# enough rows to learn and to measure on.
TICKET_QUOTA = 308
TICKET_COLUMNS = ["id", "source", "origin", "text", "sentiment", "split"]

ALLOWED = {
    "source": {"sample-study", "banking77", "amazon-fine-food", "tweeteval"},
    "sentiment": {"negative", "neutral", "positive"},
    "stage": {"awareness", "consideration", "decision", "retention", "advocacy"},
    "intent_signal": {"informational", "navigational", "transactional"},
    "intent_cluster": {"price-sensitive-researcher", "feature-driven-buyer", "efficiency-seeker",
                       "support-seeker", "churn-risk", "advocate", "none"},
    "quadrant": {"says", "thinks", "does", "feels"},
    "theme": {"pricing", "billing", "onboarding", "performance", "reliability", "usability",
              "support", "delivery", "missing-feature", "integrations", "account-access",
              "mobile-app", "data-privacy", "documentation", "notifications",
              "product-quality", "connectivity", "ads", "none"},
    "split": {"dev", "test"},
}

# The study's researchers: their turns are never customer voice.
INTERVIEWERS = {"maya chen", "priya raman", "tom okafor", "interviewer", "moderator",
                "researcher", "facilitator"}
# The first real interview question; participant turns before it are warm-up
# ("can you hear me", "ok to record") and are not sampled.
# The company's own social accounts (@Ledgerly, @LedgerlyHelp): not customer voice.
COMPANY_HANDLE = "ledgerly"
FIRST_QUESTION = re.compile(r"about yourself|about your work|what do you do", re.I)
# Interview questions (or note headings) about discovery, alternatives, choosing,
# plans and recommending. Usage and support dominate the study, so answers to these
# questions are over-sampled in a second pass to cover the early and late journey.
JOURNEY = re.compile(
    r"radar|hear about|came across|before that|else did you consider|alternatives|other tools"
    r"|pick ledgerly|tipped|decided|choose the plan|which plan|plan are you on|recommend"
    r"|friend asked|background", re.I)


# ---------------------------------------------------------------- reading

def _cp1252_fallback(err):
    """Decode a stray non-UTF-8 byte as Windows-1252 (as cairn does)."""
    bad = err.object[err.start:err.end]
    return bad.decode("cp1252", errors="replace"), err.end


codecs.register_error("cp1252_fallback", _cp1252_fallback)


def read_text(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", errors="cp1252_fallback")


def rel(path):
    if path.startswith(CORPUS):
        return os.path.relpath(path, REPO)
    return os.path.relpath(path, SHARED)


# ---------------------------------------------------------------- redaction

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
CARD = re.compile(r"(?<![\d+])\d(?:[ -]?\d){12,18}(?!\d)")
PHONE = re.compile(
    r"\+\d{1,3}[ -]?(?:\(\d{1,4}\)[ -]?)?\d{1,4}(?:[ -]\d{2,6}){1,3}(?!\d)"   # +44 7700 900456
    r"|\(?\b\d{3}\)[ -]?\d{3}[ -]\d{4}\b"                                     # (312) 555-0187
    r"|\b\d{3}[-.]\d{3}[-.]\d{4}\b"                                           # 212-555-0148
    r"|\b0\d{3,4} \d{3} ?\d{3,4}\b"                                           # 0151 496 0321
)


def redact(text):
    text = EMAIL.sub("[EMAIL]", text)
    text = CARD.sub("[CARD]", text)
    text = PHONE.sub("[PHONE]", text)
    return text


# ---------------------------------------------------------------- sentences

ABBREV = {"e.g.", "i.e.", "etc.", "vs.", "mr.", "mrs.", "ms.", "dr.", "approx.", "no.", "st.",
          "inc.", "ltd.", "co.", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec."}
BREAK = re.compile(r"\n|<br\s*/?>", re.I)
END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s+\S)")


def _words(s):
    return re.findall(r"[A-Za-z0-9\u00C0-\u024F']+", s)


def split_sentences(text):
    """Return (start, end) spans of sentences in text.

    Line breaks (and HTML <br />) always end a sentence; inside a line a
    sentence ends at . ! or ? followed by white space, except after common
    abbreviations. A piece with fewer than three words (an emoji, a
    trailing "lol", a URL) is merged into the sentence before it on the
    same line, so every span is an exact substring of the source.
    """
    spans = []
    pos = 0
    for m in list(BREAK.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        line_spans = []
        start = pos
        for e in END.finditer(text, pos, end):
            cut = e.end()
            token = text[start:cut].split()[-1].lower() if text[start:cut].split() else ""
            if token in ABBREV:
                continue
            line_spans.append([start, cut])
            start = cut
        line_spans.append([start, end])
        merged = []
        for s, e in line_spans:
            piece = text[s:e]
            if not piece.strip():
                continue
            if merged and len(_words(piece)) < 3:
                merged[-1][1] = e
            else:
                merged.append([s, e])
        # a short first piece followed by more text joins the next one
        if len(merged) > 1 and len(_words(text[merged[0][0]:merged[0][1]])) < 3:
            merged[1][0] = merged[0][0]
            merged.pop(0)
        for s, e in merged:
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                spans.append((s, e))
        pos = m.end() if m else len(text)
    return spans


GREETING = re.compile(
    r"^(hi|hello|hey|dear|good (morning|afternoon|evening)|thanks|thank you|cheers|regards|"
    r"best|kind regards|many thanks|sent from)\b", re.I)


NOISE = re.compile(r"https?://\S+|www\.\S+|[@#]\w+")


def usable(sentence, title=False):
    """A snippet worth labeling.

    At least three words once URLs, @mentions and #hashtags are removed; not a
    greeting or sign-off ("Hi team,", "Kind regards"); not a bare name or
    signature (up to four capitalised words and no punctuation, such as
    "Bea Vance Research"), except review titles, which are kept.
    """
    words = _words(NOISE.sub(" ", sentence))
    if len(words) < 3:
        return False
    if GREETING.match(sentence) and len(words) <= 4:
        return False
    if (not title and len(words) <= 4 and all(w[0].isupper() or w[0].isdigit() for w in words)
            and not re.search(r"[.!?,:;]", sentence)):
        return False
    return True


def norm(s):
    return re.sub(r"\s+", " ", s.lower()).strip()


# ---------------------------------------------------------------- sample study

def interview_turns(path):
    """Participant turns as lists of (line_no, text) chunks, in order."""
    text = read_text(path)
    lines = text.split("\n")
    ext = os.path.splitext(path)[1].lower()
    turns = []  # (speaker, [(line_no, text)])

    def add(speaker, line_no, chunk):
        chunk = chunk.strip()
        if not chunk:
            return
        if speaker is None:
            return
        if turns and turns[-1][0] == speaker:
            turns[-1][1].append((line_no, chunk))
        else:
            turns.append((speaker, [(line_no, chunk)]))

    if ext == ".md":
        # front matter, headings and notes are the researcher's; blockquotes are verbatims.
        # A verbatim's topic is the heading it sits under.
        in_front = False
        heading = ""
        for i, line in enumerate(lines, 1):
            if i == 1 and line.strip() == "---":
                in_front = True
                continue
            if in_front:
                if line.strip() == "---":
                    in_front = False
                continue
            if line.startswith(">"):
                q = line[1:].strip()
                if len(q) >= 2 and q[0] in "\"\u201c" and q[-1] in "\"\u201d":
                    q = q[1:-1]
                turns.append(("participant", [(i, q)], heading))
            else:
                if line.startswith("#"):
                    heading = line.lstrip("#").strip()
                turns.append(("researcher-notes", [(i, line)], heading))
        return [t for t in turns if t[0] == "participant"], True

    speaker = None
    vtag = re.compile(r"^<v\s+([^>]+)>(.*?)(?:</v>)?\s*$")
    named = re.compile(r"^([A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,2}):\s*(.*)$")
    for i, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line == "WEBVTT" or "-->" in line:
            continue
        if ext in (".srt", ".vtt") and (re.fullmatch(r"\d+", line) or
                                        re.fullmatch(r"[0-9a-f-]{36}/\d+-\d+", line)):
            continue
        m = vtag.match(line)
        if m:
            speaker = m.group(1).strip()
            add(speaker, i, m.group(2))
            continue
        m = named.match(line)
        if m:
            speaker = m.group(1).strip()
            add(speaker, i, m.group(2))
            continue
        if ext == ".txt" and i <= 2 and not turns:
            continue  # title line
        add(speaker, i, line)  # continuation of the current speaker

    # drop the warm-up before the first real question
    first = next((k for k, (sp, ch) in enumerate(turns)
                  if sp.lower() in INTERVIEWERS and FIRST_QUESTION.search(" ".join(c for _, c in ch))), 0)
    # each participant turn keeps the interviewer turn before it as its topic
    out = []
    topic = ""
    for sp, ch in turns[first:]:
        if sp.lower() in INTERVIEWERS:
            topic = " ".join(c for _, c in ch)
        else:
            out.append((sp, ch, topic))
    return out, False


def interview_candidates():
    folder = os.path.join(CORPUS, "interviews")
    by_file = {}
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        turns, _ = interview_turns(path)
        stem = os.path.splitext(name)[0]
        cands = []
        for t_index, (speaker, chunks, topic) in enumerate(turns):
            joined = ""
            starts = []
            for line_no, chunk in chunks:
                if joined:
                    joined += " "
                starts.append((len(joined), line_no))
                joined += chunk
            for k, (s, e) in enumerate(split_sentences(joined), 1):
                sent = joined[s:e]
                line_no = [ln for off, ln in starts if off <= s][-1]
                first_line = chunks[0][0]
                cands.append({
                    "id": f"ss-iv-{stem}-L{first_line}-s{k}",
                    "source": "sample-study", "kind": "interview",
                    "origin": f"{rel(path)}:{line_no}",
                    "text": sent, "record": f"{stem}:{first_line}", "pos": t_index,
                    "topic": topic,
                })
        by_file[stem] = cands
    return by_file


def csv_records(path):
    """(start_line, row) for every CSV record; start_line is 1-based."""
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    prev = 0
    for row in reader:
        start = prev + 1
        prev = reader.line_num
        yield start, row


def body_candidates(kind, path, rec_id, body, body_line, pos, prefix_k=0):
    """Sentences of one record body; body_line is the file line the body starts on."""
    out = []
    for k, (s, e) in enumerate(split_sentences(body), 1):
        out.append({
            "id": f"{rec_id}-s{k + prefix_k}", "source": "sample-study", "kind": kind,
            "origin": f"{rel(path)}:{body_line + body[:s].count(chr(10))}",
            "text": body[s:e], "record": rec_id, "pos": pos,
        })
    return out


def ticket_candidates():
    path = os.path.join(CORPUS, "tickets", "zendesk_tickets.csv")
    cands = []
    header = None
    for start, row in csv_records(path):
        if header is None:
            header = row
            continue
        if len(row) != len(header):
            continue  # broken record (cairn skips it too)
        rec = dict(zip(header, row))
        if not rec["description"].strip():
            continue
        # the description starts on the record's first line unless an earlier field has newlines
        before = sum(rec[c].count("\n") for c in header[:header.index("description")])
        cands += body_candidates("ticket", path, f"ss-tk-{rec['id']}", rec["description"],
                                 start + before, len(cands))
    return cands


def review_candidates():
    path = os.path.join(CORPUS, "reviews", "app_reviews.json")
    text = read_text(path)
    records = json.loads(text)
    lines = text.split("\n")
    id_line = {}
    for i, line in enumerate(lines, 1):
        m = re.match(r'\s*"id":\s*"([^"]+)"', line)
        if m:
            id_line.setdefault(m.group(1), i)
    cands = []
    for n, rec in enumerate(records):
        rid = rec.get("id")
        first = id_line.get(rid)
        if not rid or first is None:
            continue
        # line of the title and body fields within this record
        field_line = {}
        for j in range(first, min(first + 20, len(lines)) + 1):
            m = re.match(r'\s*"(title|body)":', lines[j - 1])
            if m:
                field_line.setdefault(m.group(1), j)
        title = (rec.get("title") or "").strip()
        if title:
            cands.append({"id": f"ss-rv-{rid}-s0", "source": "sample-study", "kind": "review",
                          "origin": f"{rel(path)}:{field_line.get('title', first)}",
                          "text": title, "record": f"ss-rv-{rid}", "pos": n})
        body = rec.get("body") or ""
        for c in body_candidates("review", path, f"ss-rv-{rid}", body, 0, n):
            c["origin"] = f"{rel(path)}:{field_line.get('body', first)}"  # JSON body is one line
            cands.append(c)
    return cands


def social_candidates():
    path = os.path.join(CORPUS, "social", "mentions.jsonl")
    cands = []
    for i, line in enumerate(read_text(path).split("\n"), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            continue  # truncated line
        if (rec.get("author") or "").lower().lstrip("@").startswith(COMPANY_HANDLE):
            continue  # the company's own replies are not customer voice
        body = rec.get("text") or ""
        for c in body_candidates("social", path, f"ss-so-{rec.get('id', 'L%d' % i)}", body, i, i):
            c["origin"] = f"{rel(path)}:{i}"
            cands.append(c)
    return cands


def survey_candidates():
    path = os.path.join(CORPUS, "surveys", "nps_2026.csv")
    cands = []
    header = None
    for start, row in csv_records(path):
        if header is None:
            header = row
            continue
        if len(row) != len(header):
            continue
        rec = dict(zip(header, row))
        if not rec["comment"].strip():
            continue
        cands += body_candidates("survey", path, f"ss-sv-L{start}", rec["comment"], start, start)
    return cands


# ---------------------------------------------------------------- shared data

def banking77_candidates(part="test"):
    path = os.path.join(SHARED, "banking77", f"{part}.csv")
    cands = []
    for start, row in csv_records(path):
        if start == 1:
            continue
        text, category = row
        cands.append({"id": f"b77-{part}-L{start}", "source": "banking77", "kind": "banking77",
                      "origin": f"{rel(path)}:{start}", "text": text.strip(), "stratum": category,
                      "record": f"b77-{start}", "pos": start})
    return cands


def amazon_candidates():
    path = os.path.join(SHARED, "amazon_fine_food_5k", "Reviews_first5000.csv")
    cands = []
    seen_text = set()
    header = None
    for start, row in csv_records(path):
        if header is None:
            header = row
            continue
        rec = dict(zip(header, row))
        if norm(rec["Text"]) in seen_text:
            continue  # 16 rows repeat an earlier review
        seen_text.add(norm(rec["Text"]))
        for k, (s, e) in enumerate(split_sentences(rec["Text"]), 1):
            cands.append({"id": f"aff-{rec['Id']}-s{k}", "source": "amazon-fine-food",
                          "kind": "amazon-fine-food", "origin": f"{rel(path)}:{start}",
                          "text": rec["Text"][s:e], "stratum": rec["Score"],
                          "record": rec["ProductId"], "pos": start})
    return cands


def tweeteval_candidates():
    folder = os.path.join(SHARED, "tweeteval", "sentiment")
    texts = read_text(os.path.join(folder, "test_text.txt")).split("\n")
    labels = read_text(os.path.join(folder, "test_labels.txt")).split("\n")
    path = os.path.join(folder, "test_text.txt")
    cands = []
    for i, (t, lab) in enumerate(zip(texts, labels), 1):
        if not t.strip():
            continue
        cands.append({"id": f"tw-test-L{i}", "source": "tweeteval", "kind": "tweeteval",
                      "origin": f"{rel(path)}:{i}", "text": t.strip(), "stratum": lab.strip(),
                      "record": f"tw-{i}", "pos": i})
    return cands


# ---------------------------------------------------------------- sampling

def systematic(cands, k, rng, seen):
    """Pick k snippets spread evenly over the source's order (time / interview flow).

    Candidates (in source order) are cut into k consecutive bins; from each bin
    one snippet is drawn at random, skipping texts already drawn (the sample
    study repeats template sentences) and records already used, when possible.
    """
    cands = [c for c in cands if usable(c["text"], c["id"].endswith("-s0"))]
    picked = []
    used_records = set()
    n = len(cands)
    for b in range(k):
        lo, hi = b * n // k, (b + 1) * n // k
        pool = cands[lo:hi]
        rng.shuffle(pool)
        choice = None
        for c in pool:
            if norm(c["text"]) not in seen and c["record"] not in used_records:
                choice = c
                break
        if choice is None:
            for c in pool:
                if norm(c["text"]) not in seen:
                    choice = c
                    break
        if choice is None:
            continue
        seen.add(norm(choice["text"]))
        used_records.add(choice["record"])
        picked.append(choice)
    return picked


def stratified(cands, k, rng, seen, distinct_records=False):
    """Pick k snippets spread over strata (intent category / star rating / label)."""
    cands = [c for c in cands if usable(c["text"])]
    strata = sorted({c["stratum"] for c in cands})
    rng.shuffle(strata)
    per = {s: [c for c in cands if c["stratum"] == s] for s in strata}
    for s in strata:
        rng.shuffle(per[s])
    picked, used = [], set()
    while len(picked) < k and any(per.values()):
        for s in strata:
            if len(picked) >= k:
                break
            while per[s]:
                c = per[s].pop()
                if norm(c["text"]) in seen or (distinct_records and c["record"] in used):
                    continue
                seen.add(norm(c["text"]))
                used.add(c["record"])
                picked.append(c)
                break
    return picked


FILLER = re.compile(r"^(?:(?:um|uh|like|you know|so|yeah|honestly|oh|sorry|and|well|i mean"
                    r"|i was saying|hey|ok so)[,.]?\s+)+", re.I)


def twin_key(text):
    """Text reduced for near-duplicate detection: lower case, no URLs, @mentions,
    #hashtags, digits, punctuation, emoji, leading fillers ("Um,", "Oh, sorry. I was
    saying,") or a short "Label: " prefix ("Mini review after a few months: ...")."""
    t = NOISE.sub("", text.lower())
    if ":" in t[:61]:
        t = re.sub(r"^[^:]{0,60}:\s+(?=\S)", "", t)
    t = FILLER.sub("", t.strip())
    t = re.sub(r"[^a-z' ]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def twin_groups(rows):
    """Group rows of one source whose texts are near-duplicates.

    The sample study is generated from templates, so the same sentence recurs
    with another bank, amount, name or filler word ("I send about 23 invoices a
    month" / "... about 25 ..."). Two rows are twins when their twin_key()s have a
    difflib ratio of at least 0.8 (lengths within 40 %); groups are the
    transitive closure. Twins always share a split, so dev never holds a
    near-copy of a test row.
    """
    keys = [twin_key(r["text"]) for r in rows]
    parent = list(range(len(rows)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            a, b = keys[i], keys[j]
            if not a or not b or abs(len(a) - len(b)) > 0.4 * max(len(a), len(b)):
                continue
            if difflib.SequenceMatcher(None, a, b).ratio() >= 0.8:
                parent[find(i)] = find(j)
    groups = {}
    for i, r in enumerate(rows):
        groups.setdefault(find(i), []).append(r)
    return list(groups.values())


def _h(text):
    return hashlib.sha256(("cairn-gold:" + text).encode("utf-8")).hexdigest()


def assign_splits(rows):
    """Split by a hash of the id, stratified by source, twins kept together.

    For each source, rows are grouped into near-duplicate twin groups (most
    groups are a single row). Groups are taken in the order of
    sha256("cairn-gold:" + smallest id in the group); each group goes to the
    split that so far holds fewer rows of the group's source kinds (interview,
    ticket, review ... within the sample study), then fewer rows of the source;
    on a full tie, dev if the hash's last hex digit is even, else test. Every
    source ends up 50/50 and every kind close to it.
    """
    by_source = {}
    for r in rows:
        by_source.setdefault(r["source"], []).append(r)
    for source in sorted(by_source):
        groups = sorted(twin_groups(by_source[source]),
                        key=lambda g: _h(min(r["id"] for r in g)))
        total = {"dev": 0, "test": 0}
        per_kind = {}
        for g in groups:
            h = _h(min(r["id"] for r in g))
            load = {sp: (sum(per_kind.get((r["kind"], sp), 0) for r in g), total[sp])
                    for sp in ("dev", "test")}
            if load["dev"] != load["test"]:
                split = min(("dev", "test"), key=lambda sp: load[sp])
            else:
                split = "dev" if int(h[-1], 16) % 2 == 0 else "test"
            for r in g:
                r["split"] = split
                per_kind[(r["kind"], split)] = per_kind.get((r["kind"], split), 0) + 1
            total[split] += len(g)


def sample():
    # one random stream per source kind, so changing one part of the sample
    # never reshuffles the others
    def rng(kind):
        return random.Random(f"{SEED}:{kind}")

    seen = set()
    rows = []
    # interviews: the same number from every interview, spread over the interview's flow
    by_file = interview_candidates()
    per_file = QUOTA["interview"] // len(by_file)
    for stem in sorted(by_file):
        rows += systematic(by_file[stem], per_file, rng("interview:" + stem), seen)
    # second pass: answers to journey questions, from turns not used in the first pass
    used = {r["record"] for r in rows}
    per_file = QUOTA["interview-journey"] // len(by_file)
    for stem in sorted(by_file):
        pool = [c for c in by_file[stem] if JOURNEY.search(c["topic"]) and c["record"] not in used]
        extra = systematic(pool, per_file, rng("interview-journey:" + stem), seen)
        for c in extra:
            c["pass"] = "journey"
        rows += extra
    rows += systematic(ticket_candidates(), QUOTA["ticket"], rng("ticket"), seen)
    rows += systematic(review_candidates(), QUOTA["review"], rng("review"), seen)
    rows += systematic(social_candidates(), QUOTA["social"], rng("social"), seen)
    rows += systematic(survey_candidates(), QUOTA["survey"], rng("survey"), seen)
    rows += stratified(banking77_candidates(), QUOTA["banking77"], rng("banking77"), seen)
    rows += stratified(amazon_candidates(), QUOTA["amazon-fine-food"], rng("amazon-fine-food"),
                       seen, distinct_records=True)
    rows += stratified(tweeteval_candidates(), QUOTA["tweeteval"], rng("tweeteval"), seen)
    for r in rows:
        r["text"] = redact(r["text"])
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assign_splits(rows)
    return rows


def sample_tickets(gold):
    """The ticket set: BANKING77 train queries, stratified by intent, none
    repeating a text of the gold sample, split as the gold set is."""
    seen = {norm(r["text"]) for r in gold}
    rows = stratified(banking77_candidates("train"), TICKET_QUOTA,
                      random.Random(f"{SEED}:banking77-train"), seen)
    for r in rows:
        r["text"] = redact(r["text"])
    assign_splits(rows)
    return rows


def write(rows, out, columns=COLUMNS):
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([r.get(c, "") if c in ("id", "source", "origin", "text", "split") else ""
                    for c in columns])


def check(path, rows, columns=COLUMNS):
    errors = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        # kind and context are derived from the corpus by context.py
        derived = [c for c in header[len(columns):] if c in ("kind", "context")]
        if header != columns + derived:
            errors.append(f"header is {header}, expected {columns} (+ kind, context)")
        got = {}
        for n, row in enumerate(reader, 2):
            if len(row) != len(header):
                errors.append(f"row {n}: {len(row)} fields")
                continue
            rec = dict(zip(header, row))
            if rec["id"] in got:
                errors.append(f"row {n}: duplicate id {rec['id']}")
            got[rec["id"]] = rec
            for col, allowed in ALLOWED.items():
                if col in rec and rec[col] not in allowed:
                    errors.append(f"row {n} ({rec['id']}): {col}={rec[col]!r} not allowed")
    want = {r["id"]: r for r in rows}
    for i in sorted(set(want) - set(got)):
        errors.append(f"missing sampled id {i}")
    for i in sorted(set(got) - set(want)):
        errors.append(f"id {i} is not in the sample")
    for i in sorted(set(want) & set(got)):
        for col in ("source", "origin", "text", "split"):
            if want[i][col] != got[i][col]:
                errors.append(f"{i}: {col} differs: {got[i][col]!r} vs sampled {want[i][col]!r}")
    for e in errors:
        print(e, file=sys.stderr)
    print(f"{path}: {len(got)} rows, {len(errors)} problems")
    return not errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="write the unlabeled sample here (default: stdout)")
    ap.add_argument("--check", help="check a labeled gold.csv against the sample")
    ap.add_argument("--tickets", action="store_true",
                    help="the ticket set (tickets.csv: sentiment only) instead of gold.csv")
    args = ap.parse_args()
    rows = sample()
    columns = COLUMNS
    if args.tickets:
        rows, columns = sample_tickets(rows), TICKET_COLUMNS
    if args.check:
        sys.exit(0 if check(args.check, rows, columns) else 1)
    if args.out:
        with open(args.out, "w", newline="", encoding="utf-8") as f:
            write(rows, f, columns)
    else:
        write(rows, sys.stdout, columns)


if __name__ == "__main__":
    main()
