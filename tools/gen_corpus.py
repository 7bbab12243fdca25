#!/usr/bin/env python3
"""Generate cairn's sample study: a year of customer voices about "Ledgerly".

Regenerate (from the repository root; standard library only, Python 3.11+):

    python3 tools/gen_corpus.py

The output in ``corpus/`` is byte-identical on every run: one fixed random
seed (``SEED``), no clock, no hash-ordered iteration. Every sentence is
written for this file; nothing is copied from other projects or data sets.
All people, companies, banks' customers, handles and e-mail addresses are
fictional.

The product
-----------
Ledgerly is subscription invoicing + bookkeeping software for freelancers and
small businesses (web app + iOS/Android). Plans: Free, Starter ($12/mo), Pro
($29/mo), Business ($59/mo), annual billing = two months free. A price
increase landed on 2026-02-01 (Starter $9 -> $12, Pro $24 -> $29). Features:
invoices, recurring invoices, expenses, receipt scanning, bank sync (breaks a
lot), Stripe/PayPal payments, QuickBooks/Xero export, Shopify and Zapier
integrations, multi-currency, tax reports, team seats. Fictional competitors:
Billfold, Countwise, TallyHo. Support by chat and e-mail, slow in Q1 2026.
Named support agents customers praise: Rosa, Marcus, Elena, Kofi, Dani.

Customers and personas
----------------------
130 customers, C0001..C0130, each with a name, an e-mail, a persona, a plan,
a bank, a device, a preferred competitor and a story arc. Personas, spread
unevenly: price_sensitive (28), churn_risk (24), efficiency (22),
support_seeker (20), feature_driven (18), advocate (18). A customer's events
are laid on a timeline (2025-07-01 .. 2026-06-30) through the journey stages
awareness -> consideration -> decision -> retention -> advocacy and spread
over channels (social posts, tickets, NPS answers, reviews, interviews), all
carrying the same customer_id (tickets and surveys also carry the e-mail).
Churn risks sour after a trigger (the price increase, a sync failure or a
support let-down): they complain on social, open tickets, give a low NPS and
end with a 1-2 star review. Advocates go from trial questions to purchase to
daily use to recommending. C0007 is the scripted "hero" of the churn arc.

Designed story (with noise)
---------------------------
Pain themes, biggest first: pricing/billing after the price increase
(surprise charges, double charges, refunds, unannounced annual renewals);
bank sync / reliability (missing transactions, stuck sync, crashes, data loss
fears); slow or unhelpful support (on hold, days of waiting, tickets closed
unfixed, "third time asking"); then onboarding/setup confusion, missing
features (multi-currency gaps, no time tracking, thin reports),
integrations (QuickBooks export errors, Zapier), mobile usability,
account/login (2FA lockouts, password resets), performance (slow dashboard).
Gains: fast invoicing, getting paid faster, receipt scanning, clean design,
a helpful support agent by name. Pricing weight is low before Feb 2026 and
high after it; support weight doubles in Jan-Mar 2026. The generator prints
the tally of designed theme mentions when it runs.

Mess on purpose: typos, lowercase rants, CAPS, emoji, sarcasm, mixed
sentiment, off-topic lines, neutral questions, greetings and sign-offs,
one-word tickets and long multi-paragraph e-mails. About 5% of records carry
personal data in free text (e-mails, phone numbers such as
"+1 (415) 555-0134" or "07700 900123", Luhn-valid test card numbers such as
4111 1111 1111 1111) that cairn must redact.

Files written
-------------
corpus/interviews/   3 .txt, 2 .vtt, 2 .srt transcripts, 2 .md research notes
corpus/tickets/zendesk_tickets.csv
corpus/reviews/app_reviews.json
corpus/social/mentions.jsonl
corpus/surveys/nps_2026.csv

Deliberately broken records (the only invalid records in the corpus)
--------------------------------------------------------------------
tickets/zendesk_tickets.csv (written as bytes; every other row is valid):
  B1. a row with an empty subject and an empty description (middle of file)
  B2. a row whose created_at is "2026-13-45T25:00:00Z"
  B3. a row with raw Latin-1 bytes ("caf\\xe9", "\\xa3") - the file is not
      valid UTF-8 at that row only
  B4. a row with an unbalanced quote: the description opens with '"' that is
      never closed on that line (",\"I was charged twice and,open,bad"),
      placed in the middle of the file
reviews/app_reviews.json (the file itself is valid JSON):
  B5. an object with "title": "" and "body": ""
  B6. an object with "rating": 7
  B7. an object with "date": "last tuesday"
social/mentions.jsonl:
  B8. a truncated line: {"id": "s123", "author": "@x", "text": "the app cra
  B9. a line with raw Latin-1 bytes inside the text (not valid UTF-8)
surveys/nps_2026.csv:
  B10. a row with score "eleven"
  B11. a row with date "31/31/2026"
The exact line numbers are printed at the end of each run.

Anchor quotes (fixed text, always present, for tests)
----------------------------------------------------
- tickets: "This is the third time I'm asking about the double charge on my Pro renewal."
- reviews: "Lovely invoices, but bank sync ate three weeks of my transactions and nobody
  at support could tell me where they went." (one line in the JSON body)
- interviews/*_C0007_*_notes.md: > "I spent two evenings just connecting my bank, and then it forgot Chase existed."
- surveys: "Raised the price, kept the bugs, lost my refund." (score 3)
- social: "@Ledgerly charged me twice for March and your chat bot sent me an article about dark mode 🙃"
All five belong to C0007, who also appears in every channel.

Do not put a README.md inside corpus/: cairn would read it as interview notes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
import random

SEED = 20260315
rng = random.Random(SEED)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "corpus"

START = date(2025, 7, 1)
END = date(2026, 6, 30)
PRICE_DAY = date(2026, 2, 1)
SUPPORT_CRUNCH = (date(2026, 1, 1), date(2026, 4, 10))

PRICES_OLD = {"Free": 0, "Starter": 9, "Pro": 24, "Business": 59}
PRICES_NEW = {"Free": 0, "Starter": 12, "Pro": 29, "Business": 59}

PAIN_THEMES = ["pricing", "sync", "support", "onboarding", "features",
               "integrations", "mobile", "account", "performance"]
GAIN_THEMES = ["invoicing", "paid_faster", "receipts", "design", "agent"]
STAGES = ["awareness", "consideration", "decision", "retention", "advocacy"]

# ---------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------

FIRST_NAMES = [
    ("Dana", "she"), ("Amira", "she"), ("Sofia", "she"), ("Grace", "she"),
    ("Lucia", "she"), ("Mei", "she"), ("Aisha", "she"), ("Claire", "she"),
    ("Nadia", "she"), ("Ingrid", "she"), ("Fatima", "she"), ("Rachel", "she"),
    ("Yuki", "she"), ("Olivia", "she"), ("Bea", "she"), ("Carmen", "she"),
    ("Leah", "she"), ("Tamsin", "she"), ("Zoe", "she"), ("Ruth", "she"),
    ("Imogen", "she"), ("Keisha", "she"), ("Ana", "she"), ("Marta", "she"),
    ("Nora", "she"), ("Jasmine", "she"), ("Lena", "she"), ("Chloe", "she"),
    ("Esther", "she"), ("Farah", "she"), ("Gemma", "she"), ("Harriet", "she"),
    ("Isla", "she"), ("Joy", "she"), ("Kira", "she"), ("Laila", "she"),
    ("Maeve", "she"), ("Niamh", "she"), ("Paula", "she"), ("Rosie", "she"),
    ("Ben", "he"), ("Carlos", "he"), ("Daniel", "he"), ("Ethan", "he"),
    ("Felix", "he"), ("Gareth", "he"), ("Hiro", "he"), ("Ibrahim", "he"),
    ("Jonas", "he"), ("Kwame", "he"), ("Liam", "he"), ("Mateo", "he"),
    ("Nikhil", "he"), ("Owen", "he"), ("Pedro", "he"), ("Quentin", "he"),
    ("Rafael", "he"), ("Theo", "he"), ("Umar", "he"), ("Victor", "he"),
    ("Will", "he"), ("Xavier", "he"), ("Yusuf", "he"), ("Zack", "he"),
    ("Arjun", "he"), ("Callum", "he"), ("Dmitri", "he"), ("Emeka", "he"),
    ("Finn", "he"), ("Hamish", "he"), ("Ravi", "he"), ("Stefan", "he"),
    ("Jo", "they"), ("Alex", "they"), ("Sam", "they"), ("Robin", "they"),
    ("Jamie", "they"), ("Sasha", "they"), ("Kai", "they"), ("Riley", "they"),
]

LAST_NAMES = [
    "Whitfield", "Okonkwo", "Larsen", "Moreau", "Tanaka", "Brennan",
    "Castillo", "Nguyen", "Fischer", "Haddad", "Kowalski", "O'Neill", "Patel",
    "Quinn", "Rossi", "Schmidt", "Thompson", "Usman", "Valdez", "Walsh",
    "Yamamoto", "Zhou", "Abara", "Bishop", "Carver", "Delgado", "Ellison",
    "Ferreira", "Gallagher", "Hughes", "Iyer", "Jansen", "Kerr", "Lindqvist",
    "Mensah", "Novak", "Osei", "Pereira", "Reyes", "Sandoval", "Turner",
    "Ueda", "Varga", "Wojcik", "Adeyemi", "Blake", "Chowdhury", "Dubois",
    "Eriksen", "Foster", "Garcia", "Holm", "Ibarra", "Jovanovic", "Kaplan",
    "Lowe", "Marsh", "Nakamura", "Oduya", "Pryce", "Rahman", "Sato", "Tran",
    "Vance", "Weller", "Young", "Achterberg", "Byrne", "McAllister", "Faulkner",
]

# (description used in sentences, stub used in a business e-mail domain)
BUSINESSES = [
    ("a freelance brand designer", "studio"), ("a wedding photographer", "photo"),
    ("a plumber with four vans on the road", "plumbing"),
    ("one half of a two-person web agency", "digital"),
    ("a bookkeeper for a handful of local clients", "books"),
    ("an Etsy seller, mostly ceramics", "ceramics"),
    ("a freelance translator", "translations"), ("a yoga teacher with a small studio", "yoga"),
    ("an independent IT contractor", "it"), ("a freelance copywriter", "words"),
    ("a landscaper with a small crew", "landscapes"),
    ("a coffee roaster with a Shopify store", "roasters"),
    ("a piano teacher", "music"), ("a mobile dog groomer", "grooming"),
    ("a freelance video editor", "films"), ("an architect, mostly solo", "architects"),
    ("a personal trainer", "fitness"), ("the owner of a cleaning company with six staff", "cleaning"),
    ("a children's book illustrator", "illustration"),
    ("a consultant for nonprofits", "consulting"), ("an event florist", "flowers"),
    ("a bike mechanic with my own little shop", "cycles"), ("a tattoo artist with my own studio", "ink"),
    ("a freelance UX researcher", "research"), ("an electrician", "electric"),
    ("a caterer", "kitchen"), ("a podcast producer", "audio"),
    ("a candle maker selling online and at markets", "candles"), ("a physio with a two-room clinic", "physio"),
    ("a freelance software developer", "dev"), ("an interior designer", "interiors"),
    ("a driving instructor", "driving"), ("a marketing consultant", "marketing"),
]

FREE_DOMAINS = ["gmail.com", "gmail.com", "gmail.com", "outlook.com", "yahoo.com",
                "icloud.com", "hotmail.co.uk", "proton.me", "hey.com",
                "fastmail.com", "gmx.de", "live.ca", "me.com", "bigpond.com"]
BIZ_TLDS = [".com", ".com", ".co", ".co.uk", ".ca", ".com.au", ".de", ".studio", ".io"]

PERSONAS = (["price_sensitive"] * 28 + ["churn_risk"] * 24 + ["efficiency"] * 22
            + ["support_seeker"] * 20 + ["feature_driven"] * 18 + ["advocate"] * 18)

PERSONA_SEGMENT = {
    "price_sensitive": "price-sensitive researcher",
    "feature_driven": "feature-driven buyer",
    "efficiency": "efficiency seeker",
    "support_seeker": "support seeker",
    "churn_risk": "churn risk",
    "advocate": "advocate",
}

BANKS = ["Chase", "Wells Fargo", "Barclays", "Monzo", "Bank of America", "RBC",
         "Starling", "Capital One", "TD", "Santander", "Revolut Business",
         "Mercury", "NatWest", "my credit union", "Commonwealth Bank", "ING"]
DEVICES_IOS = ["iPhone 13", "iPhone 15 Pro", "iPhone SE", "iPad", "iPhone 12 mini", "iPhone 14"]
DEVICES_ANDROID = ["Pixel 7", "Samsung Galaxy S22", "Galaxy A53", "OnePlus 11",
                   "old Motorola", "Pixel 8a"]
COMPETITORS = ["Billfold", "Countwise", "TallyHo"]
AGENTS = ["Rosa", "Marcus", "Elena", "Kofi", "Dani"]
RESEARCHERS = ["Maya Chen", "Tom Okafor", "Priya Raman"]


def luhn_ok(digits: str) -> bool:
    ds = [int(ch) for ch in digits if ch.isdigit()]
    total = 0
    for i, d in enumerate(reversed(ds)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


TEST_CARDS = ["4111 1111 1111 1111", "5555-5555-5555-4444", "4242424242424242",
              "4012 8888 8888 1881", "3782 822463 10005", "6011 1111 1111 1117"]
for _card in TEST_CARDS:
    assert luhn_ok(_card), _card
PHONES = ["+1 (415) 555-0134", "07700 900123", "+44 7700 900456", "(312) 555-0187",
          "+61 491 570 156", "+1 604 555 0199", "0151 496 0321", "+1-212-555-0148"]

# ---------------------------------------------------------------------------
# Phrase banks. Templates use {slots}; see SLOTS and Composer.ctx().
# ---------------------------------------------------------------------------

SLOTS = {
    "n": lambda: rng.randint(3, 48),
    "n2": lambda: rng.randint(4, 30),
    "days": lambda: rng.choice([2, 3, 4, 5, 6, 8, 9, 11, 12]),
    "mins": lambda: rng.choice([25, 35, 40, 45, 50, 70, 90]),
    "months": lambda: rng.randint(3, 14),
    "code": ["E1042", "E2210", "QB-417", "409", "SYNC_TIMEOUT", "E503", "PLD-1031",
             "ERR_BANK_AUTH", "X-77", "E0019"],
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "month": ["January", "February", "March", "April", "May", "June", "July",
              "August", "September", "October", "November", "December"],
    "currency": ["EUR", "GBP", "CAD", "AUD", "CHF", "euro", "pounds", "NZD"],
    "feature": ["time tracking", "partial payments", "a proper API", "custom reports",
                "mileage tracking", "estimates", "project budgets", "view-only seats",
                "multi-currency bank accounts", "offline mode"],
    "browser": ["Chrome", "Safari", "Firefox", "Edge", "Brave"],
    "tz": ["Melbourne", "London", "Vancouver", "Berlin", "Auckland", "Lisbon", "Denver"],
    "ticket": lambda: "#" + str(rng.randint(10180, 10760)),
    "amt": lambda: "${:,}".format(rng.choice(range(150, 9800, 50))),
}

# --- pain: pricing / billing ----------------------------------------------
PRICING_INCREASE = [
    "Why did my {plan} plan go from {old_price} to {new_price} with basically no warning?",
    "Got charged {new_price} instead of {old_price} this month and I never received an email about a price change.",
    "love paying more for the same thing 🙃",
    "So the price went up {pct} and I got... nothing new? Same bank sync bugs, same app.",
    "The price increase email must have gone to spam because I definitely never saw it.",
    "{old_price} was fair. {new_price} for the same product is not.",
    "I get that prices go up, but {pct} in one go is a lot for a one-person business.",
    "Please grandfather existing customers, some of us have been here since the start.",
    "The pricing page doesn't even say what changed, I had to dig through my receipts to work it out.",
    "You raised prices in February and the app has gotten WORSE since, not better.",
    "{plan} at {new_price} makes {competitor} look really tempting right now.",
    "great, another price hike. exactly what a freelancer needs in february",
    "Can someone explain what I'm getting for the extra {diff} a month?",
    "I budgeted {old_price} a month for this and now it's {new_price}, that is real money for me.",
    "Feels like a bait and switch, to be honest.",
    "Nobody told me the price was changing until the charge hit my card.",
    "The increase itself I could live with, it's the complete lack of notice that annoys me.",
    "A {pct} price rise while bank sync is still broken is a bold move.",
    "Wait, when did {plan} become {new_price}?",
    "Raising prices on people who signed up for {old_price} without asking them first is not cool.",
    "i'm paying {new_price} now for an app that can't keep my bank connected. make it make sense",
    "The new price would be fine if I got the multi-currency stuff that Pro users keep asking for.",
    "My {plan} went up by {diff} and the only new thing I noticed is a different shade of green.",
    "I had to find out about the price increase from a Reddit thread. Not from you.",
]

PRICING_GENERAL = [
    "I was charged TWICE for {month} and I can't see why.",
    "There are two charges of {charge} on my card statement, same day.",
    "My annual plan renewed for {annual} without any reminder, I meant to downgrade before that.",
    "I downgraded to Free but you still charged me for {plan}.",
    "Still waiting on the refund you promised {days} days ago.",
    "The refund was approved but it hasn't shown up on my card.",
    "I cancelled my trial before it ended and still got billed {charge}.",
    "Why is there a charge from Ledgerly when I cancelled last month?",
    "I definitely cancelled before the renewal date, I have the confirmation email.",
    "The billing page says I'm on Starter but the receipt says Pro.",
    "Please refund the duplicate charge, I can send a screenshot of my bank statement.",
    "The VAT on my Ledgerly receipt is wrong and my accountant wants a corrected one.",
    "I need a proper invoice for my subscription with my company address on it, the receipt isn't enough.",
    "Honestly for {charge} a month I expect the basics to work.",
    "An invoicing app that can't invoice ME correctly. you can't make this up.",
    "charged twice AGAIN. how does this keep happening",
    "The seat pricing on Business is confusing, I don't know if I'm paying for 3 seats or 5.",
    "Why does adding one team member bump me up a whole plan?",
    "Auto-renewal should warn people a week before, at least.",
    "I only noticed the renewal because my bank flagged it as an unusual charge.",
    "I was refunded for one of the double charges but not the other.",
    "The annual renewal of {annual} went out the same week as my rent, thanks for the heads up (there wasn't one).",
    "I asked for a refund on {weekday} and got an email saying refunds take 5-10 business days, that was {days} days ago.",
    "If I switch from monthly to annual do I lose what I already paid this month?",
    "Is there any way to get the annual discount applied retroactively?",
    "You charged my old card after I updated it to a new one.",
    "A charge of {charge} showed up with the description LEDGERLY*SUB and I had no idea what it was at first.",
]

# --- pain: bank sync / reliability -------------------------------------------
SYNC = [
    "Bank sync with {bank} has been stuck on 'Updating...' since {weekday}.",
    "About {n} transactions from last month are just missing from my feed.",
    "great, another sync failure.",
    "The {bank} connection drops every few days and I have to log in again.",
    "Sync says connected but nothing new has come in for {days} days.",
    "The app crashed halfway through reconciling and I lost everything I'd matched.",
    "Some transactions show up twice after a sync, so my balance is off.",
    "I'm genuinely scared I'm going to lose data, I have no idea what is actually saved.",
    "It keeps asking me to re-authenticate {bank} and then fails with error {code}.",
    "Half my expenses vanished after the last update. Where did they go??",
    "bank sync is a joke tbh",
    "I can't close my books for {month} because the feed is incomplete.",
    "Sync worked fine for months then just stopped after the {month} update.",
    "My accountant found {n} transactions that never came through from {bank}.",
    "Is there a status page? Sync has been broken all morning.",
    "Reconnecting the bank wiped the categories I'd assigned, {n} of them.",
    "The app freezes on the transactions screen and then closes itself.",
    "I imported the CSV from {bank} by hand because sync is useless, and that duplicated everything.",
    "Pending transactions disappear and never come back as posted.",
    "I don't trust the numbers anymore, I double check everything against my banking app.",
    "Every Monday it's the same thing: sync stuck, reconnect, pray.",
    "The app crashes every time I open a receipt from last year.",
    'I get an error saying "Connection to your bank was lost" and now the account is greyed out.',
    'It says "Sync paused" and the Resume button does nothing.',
    "Third week in a row that {bank} hasn't synced.",
    "sync broke, reconnected it, sync broke again. riveting stuff",
    "My balance in Ledgerly is off by {amt} compared to the bank and I can't find where.",
    "The whole of {month} is missing for my business account but the personal one syncs fine??",
    "What happens to my data if the sync deletes something, is there a backup?",
    "After the update the app just shows a white screen on launch.",
    "Transactions from {bank} come in with the wrong dates, a day or two early.",
]

# --- pain: support -----------------------------------------------------------
SUPPORT = [
    "I've been on hold in chat for {mins} minutes.",
    "This is the third time I'm asking about this.",
    "My ticket {ticket} was closed without anyone actually fixing anything.",
    "It's been {days} days and no reply to my email.",
    "The chat bot keeps sending me help articles that have nothing to do with my problem.",
    "Every time I write in I get a different person who asks me to explain it all again.",
    "Support replied with a copy-paste answer that didn't even read my question.",
    "Please, can a human being look at this?",
    "I was told someone would get back to me within 24 hours. That was last {weekday}.",
    "Why is there no phone support when money is involved?",
    "You closed my ticket as solved. It is NOT solved.",
    "Waiting {days} days for a reply about a billing error is not acceptable.",
    "Chat says typical reply time is a few minutes, which is a lie.",
    "I had to tweet at you to get any response at all, which is ridiculous.",
    "The reply I got just said 'we're looking into it' and then nothing for a week.",
    "ok so support has officially ghosted me 🙄",
    "I've now explained the same sync problem to three different agents.",
    "Reopening this because the issue is back, again.",
    "Your help center article on this is out of date, the screens don't look like that anymore.",
    "Still no answer. Hello??",
    "Support: 'have you tried logging out and back in'. yes. obviously. {days} days ago.",
    "I'm a paying customer and it feels like nobody is reading these.",
    "The auto-reply says you're experiencing high volumes. It has said that since January.",
    "It took {days} days to get a reply and the reply asked me for information I'd already sent.",
    "Got a satisfaction survey for a ticket nobody answered. Bold.",
    "Could someone at least confirm you received this?",
]

# --- pain: onboarding / setup --------------------------------------------------
ONBOARDING = [
    "The setup wizard asked for my tax ID before I even knew what I was signing up for.",
    "I couldn't figure out how to import my clients from a spreadsheet.",
    "Took me two evenings just to connect my bank and set up categories.",
    "The onboarding checklist says I'm 60% done but I can't tell what's left.",
    "Where do I set my invoice numbering so it continues from my old system?",
    "Not clear whether I should set up my business as a sole trader or a company in settings.",
    "The import from {competitor} brought over clients but not my invoice history.",
    "How do I add my logo? I uploaded it but it doesn't show on the invoice.",
    "Setting up tax rates for two regions was really confusing.",
    "The welcome emails were helpful but there are way too many of them.",
    "I started the trial and had no idea where to begin, there are like twelve menu items.",
    "Is there a video walkthrough somewhere? The docs assume I already know accounting.",
    "I set up my opening balances wrong and I can't find how to fix them.",
    "Chart of accounts?? I just want to send invoices.",
    "The CSV import mixed up my columns so every client's email became their phone number.",
    "I didn't realise I had to verify my email before invoices would send, lost a day on that.",
    "First week was rough, I nearly gave up before I got the hang of it.",
    "Setting up recurring invoices took me three tries, the date picker is confusing.",
    "The setup asks which accounting method I use and I honestly don't know.",
]

# --- pain: missing features -------------------------------------------------
FEATURES = [
    "Multi-currency is there for invoices but you can't have a {currency} bank account.",
    "Please add time tracking, I'm paying for a separate app just for that.",
    "Reports are really limited, there's no way to see profit by client.",
    "Can I do estimates or quotes that turn into invoices?",
    "There's no way to export a profit and loss for a custom date range.",
    "Is there an API? I want to pull invoices into our own dashboard.",
    "Would love a public roadmap so I know if {feature} is ever coming.",
    "No partial payments on invoices in 2026 is wild.",
    "The tax report doesn't handle {currency} transactions properly, I had to redo it in Excel.",
    "Recurring invoices can't have different amounts month to month.",
    "I need a way to bulk-edit expense categories, doing {n} one by one is painful.",
    "Let me set reminder schedules per client please.",
    "I'd pay extra for a proper mileage tracker.",
    "Why can't team members have view-only access?",
    "Exchange rates are a day behind, which messes up my {currency} totals.",
    "Custom fields on invoices would make this perfect for me.",
    "The reports tab has four reports. FOUR.",
    "Still no {feature}. {competitor} has had it for a year.",
    "Can't attach a timesheet to an invoice, so I end up emailing it separately.",
    "I invoice in {currency} and the dashboard totals everything in USD with no option to change it.",
    "A cash-flow forecast would be the dream.",
]

# --- pain: integrations --------------------------------------------------------
INTEGRATIONS = [
    "QuickBooks export fails with error {code} every single time.",
    "The Xero export puts everything in the wrong accounts.",
    "My Zapier zap stopped triggering on new invoices last week.",
    "Shopify orders come in as one big lump instead of individual sales.",
    "Stripe payouts don't match up with the invoices they're for.",
    "PayPal payments show as unpaid even after the client paid.",
    "The QuickBooks CSV has dates in a format QuickBooks won't accept.",
    "Is there a native integration with Gusto or do I need Zapier for that?",
    "The Zapier integration has no trigger for expenses, only invoices.",
    "My accountant uses Xero and the export is a mess every quarter.",
    "Shopify sync created {n} duplicate customers.",
    "Stripe fees aren't recorded anywhere so my income looks higher than it is.",
    'The QuickBooks export just says "Export failed, try again later" and later never comes.',
    "Zapier says the Ledgerly connection expired and reconnecting doesn't stick.",
    "Had to redo the Xero export by hand for {month}, took an afternoon.",
    "PayPal fees are booked as income, which makes no sense.",
]

# --- pain: mobile ----------------------------------------------------------------
MOBILE = [
    "The Android app logs me out constantly.",
    "On my {device} the invoice preview is cut off on the right.",
    "Can't edit a sent invoice from the app, only on the web.",
    "The iOS app is so much worse than the website.",
    "Buttons in the mobile app are tiny, I keep hitting the wrong one.",
    "The app forgets my filter settings every time I open it.",
    "Dark mode makes half the text unreadable.",
    "Why does the app reload every time I switch tabs?",
    "The mobile app doesn't show the same totals as the web dashboard.",
    "Offline mode would be nice, I do a lot of this on the train.",
    "The app on my {device} takes ages to open and then asks for Face ID twice.",
    "Notifications for paid invoices arrive hours late on my phone.",
    "Can't add a new client from the app without it crashing.",
    "Swiping to categorise expenses works maybe half the time.",
]

# --- pain: account / login ----------------------------------------------------
ACCOUNT = [
    "Locked out after getting a new phone, the 2FA codes don't work anymore.",
    "I never receive the password reset email, not even in spam.",
    "I got logged out and now it says my account doesn't exist??",
    "2FA locked me out of my own books for {days} days.",
    "The reset link says it's expired the moment I click it.",
    "I need to change the owner email on the account and there's no way to do it.",
    "Can't add my accountant as a user without giving them full admin access.",
    "SMS codes take ten minutes to arrive, by then they've expired.",
    "Please add backup codes for 2FA, I'm terrified of getting locked out again.",
    "I signed up with Google and now I can't set a password.",
    "It keeps saying my session expired every few minutes.",
    "Changed my phone number and now I can't get 2FA codes at all.",
]

# --- pain: performance -----------------------------------------------------------
PERFORMANCE = [
    "The dashboard takes forever to load, like 20 seconds.",
    "Everything is so slow since the last update.",
    "Generating the annual tax report times out.",
    "Searching invoices is painfully slow once you have more than a few hundred.",
    "The web app spins forever on {browser}.",
    "The reports page just hangs on 'Loading...'.",
    "Switching between clients takes several seconds each time.",
    "It's quicker to do this in a spreadsheet at this point.",
    "The dashboard is sluggish every morning around 9, I assume everyone logs in at once.",
    "Exporting a year of expenses took eleven minutes.",
]

PAINS = {
    "sync": SYNC, "support": SUPPORT, "onboarding": ONBOARDING,
    "features": FEATURES, "integrations": INTEGRATIONS, "mobile": MOBILE,
    "account": ACCOUNT, "performance": PERFORMANCE,
}

# --- gains ------------------------------------------------------------------------
GAINS = {
    "invoicing": [
        "Invoicing is genuinely fast, I can get one out in under a minute.",
        "Sending invoices from my phone between jobs is a lifesaver.",
        "Recurring invoices mean I never forget to bill my retainer clients.",
        "The invoice templates look professional without me doing anything.",
        "I love how quick it is to duplicate last month's invoice.",
        "Invoices look great, clients have actually complimented them.",
        "Creating an invoice is so easy my teenager could do it.",
        "I send about {n2} invoices a month and it takes me ten minutes total now.",
    ],
    "paid_faster": [
        "Clients pay way faster since I added the Stripe pay button.",
        "Automatic reminders got me paid on {n} overdue invoices without me chasing anyone.",
        "My average time to get paid dropped from about a month to under two weeks.",
        "Being able to take card payments right on the invoice changed everything.",
        "One client paid while I was still on the phone with them. Never happened before.",
        "The overdue reminders do the awkward chasing for me, which I love.",
        "Cash flow is so much smoother since I started using the payment links.",
    ],
    "receipts": [
        "Receipt scanning is brilliant, snap and done.",
        "Receipt scanning reads even crumpled petrol station receipts.",
        "No more shoebox of receipts at tax time.",
        "Scanning receipts on the {device} is the one feature I'd never give up.",
        "My accountant is thrilled that every expense has a receipt attached now.",
        "The receipt scanner picks up the VAT amount correctly, which saves me ages.",
    ],
    "design": [
        "Clean design, easy to find everything.",
        "It just looks nicer than {competitor}, way less cluttered.",
        "The dashboard tells me exactly who owes me money at a glance.",
        "Really intuitive, I barely needed the help docs.",
        "Lovely clean interface, it doesn't feel like accounting software.",
        "Everything is where you'd expect it to be.",
    ],
    "agent": [
        "{agent} from support was amazing, sorted my issue in ten minutes.",
        "Shout out to {agent} who actually fixed my bank connection.",
        "Chatted with {agent} and they were patient and super clear.",
        "{agent} followed up the next day to check it was still working, which I didn't expect.",
        "Whoever {agent} is, give them a raise.",
        "{agent} on the chat explained the tax report to me like I was five, in a good way.",
    ],
}

# (template, tags, only after the price increase)
MIXED = [
    ("love the invoicing but the bank sync is a joke", ["invoicing", "sync"], False),
    ("Great for invoices, terrible for bookkeeping.", ["invoicing", "sync"], False),
    ("The design is lovely, shame the app crashes every other day.", ["design", "sync"], False),
    ("Receipt scanning is magic. Support is not.", ["receipts", "support"], False),
    ("Clients pay me faster, I just wish I wasn't paying you so much more for it now.", ["paid_faster", "pricing"], True),
    ("{agent} was great, but it took {days} days to even get to talk to them.", ["agent", "support"], False),
    ("Best invoicing app I've used, worst bank sync I've used.", ["invoicing", "sync"], False),
    ("The app is beautiful, the billing department is a nightmare.", ["design", "pricing"], False),
    ("Invoices: 10/10. Bank feed: 2/10. Support: still waiting to find out.", ["invoicing", "sync", "support"], False),
    ("I really like it most days, which is why the double charge stings.", ["design", "pricing"], False),
    ("Receipt scanning saved my tax return, the QuickBooks export nearly ruined it.", ["receipts", "integrations"], False),
    ("Sending invoices is a joy, finding anything in the reports is not.", ["invoicing", "features"], False),
    ("Good product, bad timing on the price increase.", ["design", "pricing"], True),
    ("The web app is great, the Android app feels like a different company made it.", ["design", "mobile"], False),
]

# --- journey stages -----------------------------------------------------------
AWARENESS_NOW = [
    "Saw an ad for Ledgerly on Instagram, does anyone actually use it?",
    "A friend who freelances swears by Ledgerly so I'm taking a look.",
    "My accountant mentioned Ledgerly when I complained about my spreadsheet.",
    "Heard about @Ledgerly on a podcast about freelancing, anyone tried it?",
    "Someone in my freelancers Slack recommended Ledgerly.",
    "Just found Ledgerly while googling invoice apps for freelancers.",
    "Keep seeing Ledgerly ads on YouTube. Is it any good?",
    "A couple of people in r/freelance mentioned Ledgerly, worth a look?",
    "Got an invoice from a supplier that was made with Ledgerly and it looked really clean.",
    "My coworking space has a flyer for Ledgerly with three months off.",
    "First I've heard of Ledgerly, a colleague just sent me their invoice template.",
    "Looking for something to replace my invoice spreadsheet, Ledgerly keeps coming up.",
]
AWARENESS_PAST = [
    "A friend recommended Ledgerly last year.",
    "I found Ledgerly through an Instagram ad, which I never thought I'd say.",
    "My accountant pointed me to Ledgerly.",
    "I heard about it on a freelancing podcast.",
    "Someone in a Facebook group for small business owners mentioned it.",
    "Found it by googling 'simple invoicing app' one desperate evening.",
    "Got a Ledgerly invoice from a client's supplier and thought it looked slick.",
    "A colleague at my coworking space showed me it on her phone.",
    "I'd seen the ads for months before I finally tried it.",
    "My business coach suggested it when I admitted I bill from a Word template.",
]

CONSIDER = {
    "price_sensitive": [
        "Is the Free plan actually usable or is it a trial in disguise?",
        "Do you have any discount for new businesses or students?",
        "Is Starter worth it over Free if I only send five invoices a month?",
        "How much is the annual plan compared to paying monthly?",
        "Trying to decide between Ledgerly and {competitor}, {competitor} is cheaper.",
        "What's the catch with the free tier?",
        "Is there a nonprofit discount?",
        "Can I switch plans mid-month without paying twice?",
        "Is it worth it for a side hustle or is it overkill?",
        "Does the price go up after the first year?",
        "Any Black Friday deal coming, or is the annual discount the best it gets?",
        "If I pay annually and hate it, can I get a refund?",
    ],
    "feature_driven": [
        "Does the Pro plan include multi-currency?",
        "Is there a public API, and what are the rate limits?",
        "Does it integrate with Shopify and Xero at the same time?",
        "Is there a roadmap? I need to know if time tracking is coming.",
        "Can I invoice in {currency} and get paid into a USD account?",
        "Does the Zapier integration support new expense triggers?",
        "Can I run two businesses with separate logos under one account?",
        "Do webhooks exist, or is Zapier the only option?",
        "How does the QuickBooks export handle tax codes?",
        "Can I export everything if I ever leave? What format?",
    ],
    "efficiency": [
        "Can it automatically match bank transactions to invoices?",
        "How much of the bookkeeping can I actually automate?",
        "Will recurring invoices send on their own or do I approve each one?",
        "I want to spend less than an hour a month on admin, is that realistic with Ledgerly?",
        "Can late payment reminders go out automatically?",
        "Does receipt scanning categorise expenses by itself or do I still do it manually?",
        "Can I bulk import last year's expenses?",
    ],
    "support_seeker": [
        "Is there someone who can walk me through setup before I commit?",
        "Do you offer phone support on any plan?",
        "What are your support hours? I'm in {tz}.",
        "If I get stuck during the trial can I get help from a real person?",
        "Is there onboarding help for people who aren't numbers people?",
        "How fast does support usually reply on the Starter plan?",
    ],
    "churn_risk": [
        "Coming from {competitor} because their app kept crashing, hope this is better.",
        "Fed up with {competitor}, has anyone moved to Ledgerly?",
        "How hard is it to move two years of data over from {competitor}?",
        "Is bank sync reliable? That's the whole reason I'm leaving {competitor}.",
    ],
    "advocate": [
        "Trying Ledgerly because a friend won't stop talking about it.",
        "Started the trial tonight, first impressions are really good.",
        "Does the trial include receipt scanning? That's the bit I care about.",
    ],
}
CONSIDER_GENERIC = [
    "Comparing Ledgerly, {competitor} and {competitor2} this week.",
    "Started the 14-day trial, so far so good.",
    "The trial is nice but I can't test bank sync with {bank} without upgrading?",
    "{competitor} has time tracking, Ledgerly has the nicer invoices. decisions decisions",
    "Watched the demo video, looks simpler than {competitor}.",
    "I'm on day 5 of the trial and still deciding.",
    "Does anyone have a referral code? Thinking of signing up.",
    "Made a spreadsheet comparing three invoicing apps, which tells you how much I love spreadsheets.",
]

DECISION_POS = [
    "Just upgraded to {plan}, let's see how it goes.",
    "Went with the annual {plan} plan for the discount.",
    "Signed up for {plan} after the trial, the invoicing alone is worth it.",
    "Took the plunge and moved my whole business from {competitor} to Ledgerly.",
    "Upgraded to {plan} this morning, the trial convinced me.",
    "Trial's over, I'm paying. Decision made.",
    "Picked {plan} because I need the bank sync and the reminders.",
    "Bought the annual plan, checkout took about thirty seconds.",
    "Moved up from Free to {plan} today, I kept hitting the invoice limit.",
]
DECISION_NEG = [
    "Checkout keeps rejecting my card even though it works everywhere else.",
    "The promo code from the ad says it's invalid.",
    "I was charged full price at signup instead of getting the trial.",
    "The upgrade button took my money but my account still says Free.",
    "I picked monthly but it charged me for the whole year.",
    "Payment at signup failed twice and now I think I've been charged twice.",
    "The plan comparison page doesn't make it clear what Pro has that Starter doesn't.",
    "Tried to upgrade on my phone and it just spun forever.",
]
DECISION_Q = [
    "If I upgrade mid-cycle is it prorated?",
    "Do I need Pro for multi-currency or is Starter enough?",
    "Can I pay for the annual plan by bank transfer instead of card?",
    "Can I add a second seat later without changing plans?",
    "If I start on Starter can I move to Pro later without losing anything?",
]

ADVOCACY_POS = [
    "Recommended Ledgerly to three friends this month, they all signed up.",
    "If you freelance and hate invoicing, just get Ledgerly.",
    "Been using it for {months} months, wouldn't go back to spreadsheets.",
    "Used my referral link to get a friend a free month, we both win 🎉",
    "Honestly the best money I spend on my business every month.",
    "Told my whole coworking space about it.",
    "Would recommend to any freelancer, no hesitation.",
    "I've converted my sister and two of my clients to Ledgerly now.",
    "Ten out of ten, would nag my friends about it again.",
    "If you're still invoicing from a Word doc, please, try this.",
    "Definitely recommend it to anyone who invoices more than twice a month.",
]
ADVOCACY_NEG = [
    "Do yourself a favour and look at {competitor} before signing up.",
    "Stay away until they fix bank sync.",
    "Warning to other freelancers: check your card statements if you use Ledgerly.",
    "Cancelled today. Moving to {competitor}.",
    "I used to recommend Ledgerly to everyone. Not anymore.",
    "Won't be renewing.",
    "If you're on the annual plan, set yourself a reminder before renewal because they won't remind you.",
    "Exported everything and closed my account, done.",
    "Told a friend NOT to sign up last week, which I never thought I'd do.",
    "Switching to {competitor} at the end of the month, their import tool is decent.",
]

PERSONA_FLAVOR = {
    "price_sensitive": ["Is it worth it though?", "I'm a one-person business, every dollar counts.",
                        "Money is tight this year.", "I compare every subscription I pay for each January.",
                        "Not made of money over here."],
    "feature_driven": ["I'm happy to pay more if the features are there.",
                       "We're growing and I need software that grows with us.",
                       "The integrations are the whole reason I picked Ledgerly."],
    "efficiency": ["I just want it to save me time.",
                   "Every minute I spend on admin is a minute I'm not billing.",
                   "Automate it or I'm not interested, basically."],
    "support_seeker": ["I'm not a numbers person so I rely on support a lot.",
                       "Sorry if this is a silly question.",
                       "I'm probably doing something wrong, but I can't see what."],
    "churn_risk": ["I'm seriously thinking about cancelling.",
                   "If this isn't fixed by the end of the month I'm out.",
                   "I want a refund for this month.", "Give me one reason to stay.",
                   "Honestly about done with this."],
    "advocate": ["I normally love this app, so this is frustrating.",
                 "I recommend you guys to everyone, so please sort this out.",
                 "Still a fan, just flagging this."],
}

OFF_TOPIC = [
    "sorry for the long email, it's been a week.",
    "Also my dog just knocked my coffee over so excuse any typos.",
    "(writing this from the airport, sorry if it's short)",
    "Not related, but your newsletter last month was actually good.",
    "Happy new year, by the way!",
    "Hope you're having a better Monday than me.",
    "I'm writing this at 2am because I can't sleep, that's how stressed this has me.",
    "Side note, the new logo looks nice.",
    "My kid is home sick so I'm doing this in bits.",
    "Anyway. Rant over.",
    "Sorry, I know none of this is your fault personally.",
    "(sent from my phone in a car park)",
]

NEUTRAL_FACTS = [
    "I have {n} active clients and send about {n2} invoices a month.",
    "I'm on the {plan} plan, billed monthly.",
    "I use the web app mostly, sometimes the app on my {device}.",
    "We switched from {competitor} in {month}.",
    "My bank is {bank}.",
    "I'm on {browser} on a Mac.",
    "I'm {biz}.",
    "The account is under my business name.",
    "I've been a customer since {month}.",
]

PRE_FACTS = [
    "I send about {n2} invoices a month at the moment.",
    "Currently doing everything in a spreadsheet.",
    "I'm {biz}.",
    "Right now I'm on {competitor} but my plan there renews in {month}.",
    "It's just me, no employees.",
    "My bank is {bank}, if that matters.",
    "A few of my clients pay in {currency}.",
    "I'd mostly use it on my {device}.",
    "My accountant would need access too.",
]
TRIAL_POS = [
    ("The invoice templates look great, even in the trial.", "invoicing"),
    ("Sent my first invoice from the trial in about five minutes.", "invoicing"),
    ("Tried receipt scanning on a coffee receipt and it nailed it.", "receipts"),
    ("The dashboard is really clean compared to {competitor}.", "design"),
    ("The person on chat during my trial, {agent}, was really helpful.", "agent"),
    ("Love that clients can pay by card straight from the invoice.", "paid_faster"),
    ("First impressions: slick.", "design"),
    ("A client paid my very first Ledgerly invoice the same afternoon, which felt like a sign.", "paid_faster"),
]
TRIAL_NEG = [
    ("The trial setup asks a lot of accounting questions I can't answer.", "onboarding"),
    ("Couldn't get {bank} to connect during the trial.", "sync"),
    ("The trial doesn't let me test multi-currency, which is the one thing I need to know about.", "features"),
    ("It's not obvious what happens when the trial ends, do I get charged automatically?", "pricing"),
    ("The pricing page is confusing, I can't tell which plan includes bank sync.", "pricing"),
    ("Importing my clients from {competitor} failed halfway through.", "onboarding"),
    ("No time tracking is a bit of a dealbreaker, is it on the roadmap?", "features"),
    ("Is the QuickBooks export not part of the trial?", "integrations"),
    ("The mobile app asked me to log in three times in the first hour.", "mobile"),
]
PRE_FLAVOR = {
    "price_sensitive": ["Is it worth it though?", "I'm a one-person business, every dollar counts.",
                        "Money is tight this year.", "Not made of money over here."],
    "feature_driven": ["I'm happy to pay more if the features are there.",
                       "The integrations are what I care about most."],
    "efficiency": ["I just want it to save me time.", "Automate it or I'm not interested, basically."],
    "support_seeker": ["Sorry if this is a silly question.", "I'm not a numbers person, so be gentle."],
    "churn_risk": ["I've been burned by {competitor} before, so I'm cautious.",
                   "I switched tools twice last year and I really don't want to do it again."],
    "advocate": ["A friend swears by you, so no pressure.", "Honestly pretty excited about this."],
}
ADVOCACY_TICKET = [
    ("I referred two friends last month and the referral credit hasn't shown up on my account.", []),
    ("Just wanted to say {agent} was fantastic yesterday, please pass it on.", ["agent"]),
    ("Can I get a referral link? I want to send it to a few people at my coworking space.", []),
    ("Not a problem, just a thank you. Ledgerly has made this year so much easier.", ["invoicing"]),
    ("My friend signed up with my link but says she didn't get the free month.", []),
    ("Do you have an affiliate programme? I recommend you to my clients all the time.", []),
    ("I wrote you a review on G2, hope it helps. Keep the invoicing this good.", ["invoicing"]),
]

PLAIN_QUESTIONS = [
    "Does the Pro plan include multi-currency?",
    "How do I export all my invoices as PDFs?",
    "Where can I change the currency symbol?",
    "Can I add a second business?",
    "What happens to my data if I downgrade to Free?",
    "Is there a way to mark an invoice as partially paid?",
    "Can I change the due date on an invoice after sending it?",
    "Where do I find last year's tax report?",
    "Can I change the email address invoices are sent from?",
    "Is there a limit on how many clients I can have on Starter?",
]

# Tiny survey comments, tagged.
NPS_SHORT = {
    "pricing": ["Too expensive now.", "price hike", "Pricey for what it is.", "stop raising prices",
                "charged twice, still annoyed", "The increase was not communicated."],
    "sync": ["sync!!", "Fix the bank feed.", "bank sync", "Unreliable.", "Crashes too much."],
    "support": ["Support too slow", "support takes days", "Nobody answers tickets."],
    "onboarding": ["Setup was confusing.", "hard to get started"],
    "features": ["Needs time tracking.", "Reports are basic.", "more reports pls"],
    "integrations": ["QuickBooks export is broken.", "Zapier keeps disconnecting."],
    "mobile": ["Android app needs work.", "app is clunky"],
    "account": ["2FA lockout was awful."],
    "performance": ["slow", "Dashboard is slow."],
    "invoicing": ["Makes invoicing painless.", "fast invoices", "Love it"],
    "paid_faster": ["I get paid faster.", "Clients pay quicker."],
    "receipts": ["receipt scanning ❤️", "Receipt scanner is great."],
    "design": ["Clean and simple.", "great app", "Easy to use."],
    "agent": ["{agent} in support was great."],
}

SUBJECTS = {
    "pricing": ["Charged twice", "double charge on my card", "Refund request", "Why was I charged {new_price}?",
                "Annual renewal - did not want this", "price increase??", "Billing question",
                "Wrong plan on receipt", "refund pls", "URGENT: unauthorised charge",
                "Cancel subscription and refund", "Charged after cancelling", "Invoice for my subscription",
                "Re: Refund request", "Price change not communicated"],
    "sync": ["Bank sync not working", "{bank} connection keeps failing", "Missing transactions",
             "sync stuck", "App crashing", "Data missing after update", "Transactions duplicated",
             "error {code} when syncing", "bank feed", "Re: Bank sync not working", "HELP - transactions gone"],
    "support": ["Still no reply to my previous ticket", "Follow up on {ticket}", "Third time asking",
                "Ticket closed but not fixed", "Escalation please", "no response", "Re: {ticket}"],
    "onboarding": ["Help setting up", "How do I import clients?", "Opening balance wrong",
                   "Can't find where to add logo", "Setup question", "Tax settings", "getting started"],
    "features": ["Feature request: time tracking", "Multi-currency question", "Reports", "API access?",
                 "partial payments", "Feature request", "Suggestion"],
    "integrations": ["QuickBooks export error", "Zapier not triggering", "Xero export wrong accounts",
                     "Shopify duplicates", "Stripe payouts not matching", "PayPal payment not marked paid"],
    "mobile": ["Android app keeps logging me out", "iOS app issue", "Invoice preview cut off on phone",
               "app problem", "Mobile app"],
    "account": ["Locked out - 2FA", "Password reset email not arriving", "Can't log in",
                "Change account owner email", "2FA", "login"],
    "performance": ["Dashboard very slow", "Reports timing out", "slow", "Performance"],
    "consideration": ["Question before signing up", "Plan question", "Discount?",
                      "Does Pro include multi-currency?", "Free plan limits", "Pre-sales question",
                      "Trial question", "Quick question"],
    "awareness": ["Question", "Hi", "Recommended by a friend - quick question", "Info please"],
    "decision": ["Checkout problem", "Promo code not working", "Upgrade didn't go through",
                 "Charged at signup", "Plan change", "Upgrading", "Payment failed"],
    "advocacy": ["Just wanted to say thanks", "Referral credit not applied", "Compliment for {agent}",
                 "Thank you!", "Referral link"],
}

SHORT_TICKETS = {
    "pricing": ["refund pls", "charged twice. again.", "See subject.", "why was i charged",
                "Please cancel and refund."],
    "sync": ["sync broken again", "???", "Transactions missing since {weekday}.", "see screenshot"],
    "support": ["Any update?", "Hello??", "bump"],
    "account": ["can't log in", "locked out"],
    "mobile": ["app crashes on open"],
    "integrations": ["QB export failing"],
    "onboarding": ["how do i add my logo"],
    "performance": ["so slow today"],
    "features": ["time tracking when?"],
}

TITLES = {
    5: ["Game changer", "Best invoicing app for freelancers", "Love it!!", "Does exactly what I need",
        "Finally ditched my spreadsheet", "5 stars", "So easy", "Worth every penny",
        "Brilliant for sole traders", "Can't imagine going back", "Great app", "A+",
        "Invoicing in seconds", "Perfect for my small business"],
    4: ["Really good, a few gaps", "Great but not perfect", "Solid", "Almost there",
        "Very good app", "Good value (mostly)", "Happy customer, minor gripes"],
    3: ["Good invoicing, weak bookkeeping", "Mixed feelings", "Fine for basics", "It's ok",
        "Decent but pricey now", "Could be great", "Meh"],
    2: ["Used to be better", "Frustrating", "Not worth the new price", "Sync issues", "Disappointed"],
    1: ["Charged twice, no help", "Bank sync broken for weeks", "DO NOT BUY", "Used to be great",
        "Price hike + bugs = cancelled", "Support is nonexistent", "Avoid", "Lost my data",
        "Scam pricing", "Terrible support", "1 star is generous", "Cancelled"],
}

GREETINGS = ["Hi,", "Hello team,", "Hi there,", "hey", "Hi Ledgerly support,", "Hello,",
             "To whom it may concern,", "Hi all,", "Good morning,", "Hi guys,", "Dear Ledgerly,"]
CLOSERS = ["Thanks, {first}", "Regards,\n{full}", "thx", "Sent from my iPhone", "{first}",
           "Thanks in advance!", "Cheers,\n{first}", "Many thanks,\n{full}", "Best,\n{first}",
           "Kind regards,\n{full}\n{biz_cap}", "ty", "Thanks for your help.", "- {first}"]

EMOJI_POS = ["👍", "❤️", "🎉", "🙌", "😍", "✨", "💯", "🥳"]
EMOJI_NEG = ["😡", "🙄", "😤", "🤦", "😩", "💸", "🤬", "😒"]
EMOJI_SARC = ["🙃", "🙂", "👏"]

HASHTAGS_POS = ["#freelance", "#smallbiz", "#invoicing", "#solopreneur", "#bookkeeping",
                "#freelancerlife", "#smallbusiness", "#productivity", "#gettingpaid"]
HASHTAGS_NEG = ["#fail", "#customerservice", "#fintech", "#smallbiz", "#freelance",
                "#badservice", "#subscriptionfatigue"]
LINKS = ["https://ledgerly.app/pricing", "https://status.ledgerly.app", "https://ledgerly.app/blog/new-plans",
         "https://ldgr.ly/r/{ref}", "https://ledgerly.app/integrations", "https://imgur.example/a/{ref}",
         "https://ledgerly.app/help/bank-sync"]

TYPOS = {
    "receive": "recieve", "received": "recieved", "definitely": "definately", "the": "teh",
    "separate": "seperate", "because": "becuase", "really": "realy", "account": "acount",
    "until": "untill", "weird": "wierd", "which": "wich", "transactions": "transcations",
    "invoice": "invocie", "invoices": "invoces", "payment": "paymnet", "business": "buisness",
    "their": "thier", "doesn't": "doesnt", "can't": "cant", "I'm": "im", "though": "tho",
    "probably": "prolly", "tomorrow": "tommorow", "address": "adress", "support": "suport",
    "subscription": "subscripton", "literally": "literaly", "annoying": "anoying",
    "anymore": "any more", "separately": "seperately", "what": "waht", "just": "jsut",
    "charged": "chraged", "again": "agian", "since": "sicne", "month": "monht",
}
EMPHASIS = ["twice", "again", "still", "never", "nothing", "every", "not", "weeks", "refund",
            "broken", "worse", "nobody", "three", "missing", "love", "always", "anyone"]

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
SLOT_RE = re.compile(r"\{(\w+)\}")
USES: dict[str, int] = {}          # template -> times used, to spread usage
TALLY: dict[str, int] = {}         # designed theme mentions (customer voice only)
STAGE_TALLY: dict[tuple, int] = {}  # (channel, stage) -> records


def tally(tag: str, k: int = 1) -> None:
    TALLY[tag] = TALLY.get(tag, 0) + k


def render(template: str, ctx: dict | None = None) -> str:
    def rep(m: re.Match) -> str:
        key = m.group(1)
        val = ctx.get(key) if ctx else None
        if val is None:
            gen = SLOTS[key]
            val = gen() if callable(gen) else rng.choice(gen)
        elif callable(val):
            val = val()
        return str(val)
    return SLOT_RE.sub(rep, template)


def _key(t) -> str:
    if isinstance(t, str):
        return t
    return t[0] if isinstance(t[0], str) else t[1]


def pick(bank: list, avoid: list | None = None):
    """Weighted choice that favours rarely used templates."""
    cands = [t for t in bank if not avoid or t not in avoid] or list(bank)
    weights = []
    for t in cands:
        weights.append(1.0 / (1 + USES.get(_key(t), 0)) ** 2)
    choice = rng.choices(cands, weights=weights, k=1)[0]
    key = _key(choice)
    USES[key] = USES.get(key, 0) + 1
    return choice


def wchoice(weights: dict):
    keys = list(weights.keys())
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def rand_date(d0: date, d1: date) -> date:
    if d1 <= d0:
        return d0
    return d0 + timedelta(days=rng.randint(0, (d1 - d0).days))


def clamp_date(d: date) -> date:
    return max(START, min(END, d))


def at_time(d: date, lo: int = 7, hi: int = 23) -> datetime:
    h = rng.randint(lo, hi - 1)
    return datetime.combine(d, time(h, rng.randint(0, 59), rng.randint(0, 59)))


def iso_z(dt: datetime, seconds: bool = True) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ" if seconds else "%Y-%m-%dT%H:%M:00Z")


def cap_first(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


# ---------------------------------------------------------------------------
# Customers
# ---------------------------------------------------------------------------

class Customer:
    def __init__(self, cid, first, pron, last, persona):
        self.cid = cid
        self.first, self.pron, self.last = first, pron, last
        self.full = f"{first} {last}"
        self.persona = persona
        self.events: list[dict] = []
        self.channels: list[str] = []


PERSONA_W = {
    "price_sensitive": dict(pricing=3.2, sync=1.5, support=1, onboarding=1.2, features=0.8,
                            integrations=0.3, mobile=0.6, account=0.5, performance=0.3),
    "feature_driven": dict(pricing=1.4, sync=1.8, support=0.8, onboarding=0.8, features=5,
                           integrations=3.4, mobile=0.6, account=0.4, performance=1.2),
    "efficiency": dict(pricing=1.3, sync=3.5, support=1, onboarding=0.6, features=1.5,
                       integrations=2, mobile=2, account=0.6, performance=2.2),
    "support_seeker": dict(pricing=1.5, sync=2.5, support=5, onboarding=3.5, features=0.6,
                           integrations=0.6, mobile=1, account=1.8, performance=0.4),
    "churn_risk": dict(pricing=3.5, sync=4.5, support=3.2, onboarding=0.6, features=0.8,
                       integrations=0.8, mobile=1.2, account=0.8, performance=1),
    "advocate": dict(pricing=1.4, sync=1, support=0.5, onboarding=0.6, features=1.5,
                     integrations=0.6, mobile=1.5, account=0.4, performance=0.6),
}
BASE_MOOD = {"price_sensitive": 0.12, "feature_driven": 0.25, "efficiency": 0.4,
             "support_seeker": 0.0, "churn_risk": 0.25, "advocate": 0.8}
PLAN_W = {
    "price_sensitive": dict(Free=18, Starter=57, Pro=20, Business=5),
    "feature_driven": dict(Starter=8, Pro=55, Business=37),
    "efficiency": dict(Starter=35, Pro=50, Business=15),
    "support_seeker": dict(Starter=50, Pro=42, Business=8),
    "churn_risk": dict(Starter=42, Pro=50, Business=8),
    "advocate": dict(Starter=30, Pro=50, Business=20),
}


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def make_customers(n: int = 130) -> list[Customer]:
    personas = PERSONAS[:]
    rng.shuffle(personas)
    personas[6] = "churn_risk"          # C0007 is the scripted churn hero
    if personas.count("churn_risk") > 24:
        for i in range(len(personas) - 1, -1, -1):
            if personas[i] == "churn_risk" and i != 6:
                personas[i] = "price_sensitive"
                break
    seen_names: list[str] = []
    seen_emails: list[str] = []
    out = []
    for i in range(n):
        while True:
            first, pron = rng.choice(FIRST_NAMES)
            last = rng.choice(LAST_NAMES)
            if f"{first} {last}" not in seen_names:
                break
        seen_names.append(f"{first} {last}")
        c = Customer(f"C{i + 1:04d}", first, pron, last, personas[i])
        biz, stub = rng.choice(BUSINESSES)
        c.biz = biz
        fl, ll = slug(first), slug(last)
        if rng.random() < 0.35:
            domain = ll + stub + rng.choice(BIZ_TLDS)
            local = rng.choice([fl, "hello", fl + "." + ll, fl[0] + ll, "accounts", "info"])
            c.biz_name = f"{last} {stub.capitalize()}".replace("'", "")
        else:
            domain = rng.choice(FREE_DOMAINS)
            local = rng.choice([f"{fl}.{ll}", f"{fl}{ll}", f"{fl[0]}.{ll}", f"{fl}_{ll}{rng.randint(70, 99)}",
                                f"{fl}{rng.randint(1, 999)}", f"{ll}.{fl}", f"{fl}.{ll}.{stub}"])
            c.biz_name = f"{first} {last} {stub.capitalize()}"
        email = f"{local}@{domain}"
        while email in seen_emails:
            email = f"{local}{rng.randint(2, 9)}@{domain}"
        seen_emails.append(email)
        c.email = email
        c.plan = wchoice(PLAN_W[c.persona])
        c.annual = rng.random() < 0.3
        c.bank = rng.choice(BANKS)
        c.os = "ios" if rng.random() < 0.55 else "android"
        if rng.random() < 0.2:
            c.os = "web"
        c.device = rng.choice(DEVICES_IOS if c.os == "ios" else DEVICES_ANDROID)
        c.competitor = rng.choice(COMPETITORS)
        c.agent = rng.choice(AGENTS)
        handle_pat = rng.choice(["{f}_makes_things", "{f}{l1}builds", "{f}.invoices", "the{l}studio",
                                 "{f}_{l}", "{f}_freelance", "{f}{l}{nn}", "{l}_{stub}", "{f}does{stub}",
                                 "hey{f}", "{f}_{stub}_co", "{f}{nn}"])
        c.handle = "@" + handle_pat.format(f=fl, l=ll, l1=ll[0], nn=rng.randint(1, 99), stub=stub)
        c.reddit = "u/" + rng.choice([f"{fl}_{stub}", f"throwaway_{stub}{rng.randint(1, 99)}",
                                      f"{ll}{rng.randint(80, 99)}", f"Tired{stub.capitalize()}",
                                      f"{fl}{ll[:3]}", f"{stub}_{fl}"])
        # arc
        c.base = BASE_MOOD[c.persona] + rng.uniform(-0.15, 0.15)
        c.trigger = None
        c.drop = 0.0
        c.recovery = None
        c.cancel = None
        c.primary = None
        if c.persona in ("churn_risk", "price_sensitive"):
            c.start = rand_date(START, date(2026, 1, 10))
        else:
            c.start = START + timedelta(days=int(rng.triangular(0, (date(2026, 4, 20) - START).days, 60)))
        out.append(c)
    for c in out:
        setup_arc(c)
    return out


def setup_arc(c: Customer) -> None:
    p = c.persona
    c.decision = c.start + timedelta(days=rng.randint(3, 32))
    if p == "churn_risk":
        kind = wchoice({"pricing": 60, "sync": 25, "support": 15})
        c.primary = kind
        if kind == "pricing":
            c.trigger = rand_date(PRICE_DAY, date(2026, 3, 25))
        elif kind == "sync":
            c.trigger = rand_date(c.decision + timedelta(days=20), date(2026, 4, 30))
        else:
            c.trigger = rand_date(max(date(2026, 1, 5), c.decision), date(2026, 3, 31))
        c.drop = rng.uniform(0.95, 1.35)
        if rng.random() < 0.7:
            c.cancel = clamp_date(c.trigger + timedelta(days=rng.randint(25, 90)))
            if c.cancel >= END:
                c.cancel = None
        c.secondary = wchoice({k: v for k, v in {"pricing": 3, "sync": 3, "support": 4}.items() if k != kind})
    elif p == "price_sensitive":
        c.primary = "pricing"
        if c.plan in ("Starter", "Pro"):
            c.trigger = PRICE_DAY + timedelta(days=rng.randint(0, 25))
            c.drop = rng.uniform(0.3, 0.7)
        c.secondary = wchoice(dict(sync=3, onboarding=2, features=1, support=2))
        if rng.random() < 0.2:
            c.cancel = clamp_date(PRICE_DAY + timedelta(days=rng.randint(30, 120)))
            if c.cancel >= END:
                c.cancel = None
    elif p == "feature_driven":
        c.primary = wchoice(dict(features=60, integrations=40))
        c.secondary = wchoice(dict(sync=3, integrations=2, features=2, performance=1, pricing=1))
        if c.secondary == c.primary:
            c.secondary = "sync"
    elif p == "efficiency":
        c.primary = wchoice(dict(sync=40, performance=20, integrations=20, mobile=20))
        c.secondary = wchoice(dict(pricing=2, mobile=1, features=1, sync=1))
        if c.secondary == c.primary:
            c.secondary = "pricing"
        if rng.random() < 0.3:
            c.trigger = rand_date(c.decision + timedelta(days=15), date(2026, 5, 15))
            c.drop = rng.uniform(0.35, 0.6)
    elif p == "support_seeker":
        c.primary = wchoice(dict(support=45, onboarding=37, account=18))
        c.secondary = wchoice(dict(sync=3, support=2, pricing=2, onboarding=1))
        if c.secondary == c.primary:
            c.secondary = "sync"
        if rng.random() < 0.4:
            c.recovery = rand_date(c.decision + timedelta(days=20), date(2026, 5, 30))
        else:
            c.trigger = rand_date(SUPPORT_CRUNCH[0], SUPPORT_CRUNCH[1])
            c.drop = rng.uniform(0.3, 0.6)
    else:  # advocate
        c.primary = wchoice(dict(mobile=3, features=3, pricing=2, sync=1))
        c.secondary = wchoice(dict(features=1, mobile=1, integrations=1, performance=1))
        if c.secondary == c.primary:
            c.secondary = "performance"
        if rng.random() < 0.15:
            c.trigger = PRICE_DAY + timedelta(days=rng.randint(0, 30))
            c.drop = 0.3
    c.gains = rng.sample(GAIN_THEMES, k=3)
    c.currency = rng.choice(SLOTS["currency"])
    c.end = c.cancel or END


def mood_at(c: Customer, d: date, noise: float = 0.16) -> float:
    m = c.base
    if c.trigger and d >= c.trigger:
        m -= c.drop
    if c.recovery and d >= c.recovery:
        m += 0.55
    if c.persona == "support_seeker" and SUPPORT_CRUNCH[0] <= d <= SUPPORT_CRUNCH[1]:
        m -= 0.2
    if c.cancel and d >= c.cancel:
        m -= 0.2
    m += rng.gauss(0, noise)
    return max(-1.0, min(1.0, m))


def theme_weights(c: Customer, d: date) -> dict:
    w = {t: PERSONA_W[c.persona][t] for t in PAIN_THEMES}
    base = dict(pricing=1.0, sync=1.0, support=0.85, onboarding=1.35, features=0.6,
                integrations=0.5, mobile=0.42, account=0.33, performance=0.36)
    for t in w:
        w[t] *= base[t]
    if d < PRICE_DAY:
        w["pricing"] *= 0.3
    else:
        w["pricing"] *= 1.25
    if SUPPORT_CRUNCH[0] <= d <= SUPPORT_CRUNCH[1]:
        w["support"] *= 1.7
    if (d - c.decision).days > 60:
        w["onboarding"] *= 0.45
    return w


def pick_themes(c: Customer, d: date, k: int = 1) -> list[str]:
    out: list[str] = []
    r = rng.random()
    if r < 0.45 and c.primary:
        if not (c.primary == "pricing" and d < PRICE_DAY and rng.random() < 0.75):
            out.append(c.primary)
    elif r < 0.68 and c.secondary:
        out.append(c.secondary)
    w = theme_weights(c, d)
    while len(out) < k:
        t = wchoice(w)
        if t not in out:
            out.append(t)
    return out


def ctx_for(c: Customer, d: date) -> dict:
    plan = c.plan if c.plan != "Free" else "Starter"
    inc_plan = plan if plan in ("Starter", "Pro") else "Pro"
    old, new = PRICES_OLD[inc_plan], PRICES_NEW[inc_plan]
    now = PRICES_NEW[plan] if d >= PRICE_DAY else PRICES_OLD[plan]
    others = [x for x in COMPETITORS if x != c.competitor]

    def month():
        back = rng.choice([0, 0, 0, 25, 40])
        return MONTHS[(d - timedelta(days=back)).month - 1]

    return {
        "first": c.first, "full": c.full, "bank": c.bank, "device": c.device, "plan": plan,
        "competitor": c.competitor, "competitor2": rng.choice(others), "agent": c.agent,
        "biz": c.biz, "biz_cap": c.biz_name,
        "old_price": f"${old}", "new_price": f"${new}", "diff": f"${new - old}",
        "pct": f"{round((new - old) / old * 100)}%",
        "charge": f"${now}", "annual": f"${now * 10}", "month": month, "currency": c.currency,
    }


# ---------------------------------------------------------------------------
# Composition
# ---------------------------------------------------------------------------

def pain_sentence(c: Customer, theme: str, d: date, ctx: dict) -> str:
    if theme == "pricing":
        if d >= PRICE_DAY and c.plan in ("Starter", "Pro") and rng.random() < 0.6:
            return render(pick(PRICING_INCREASE), ctx)
        bank = PRICING_GENERAL
        if (d - c.decision).days > 45:
            bank = [t for t in bank if "trial" not in t]
        return render(pick(bank), ctx)
    return render(pick(PAINS[theme]), ctx)


def compose(c: Customer, ev: dict, n_min: int, n_max: int, *, offtopic: float = 0.0,
            short: bool = False) -> list[tuple[str, list]]:
    """Return [(sentence, tags)] for one record. Tags are theme or stage ids.

    A record keeps to its stage, its one or two pain themes and one gain, so
    it reads like one person talking about one thing (with some drift)."""
    d = ev["date"].date() if isinstance(ev["date"], datetime) else ev["date"]
    ctx = ctx_for(c, d)
    mood = ev["mood"]
    stage = ev["stage"]
    themes = ev.get("themes") or pick_themes(c, d)
    gain = ev.get("gain") or rng.choice(c.gains)
    n = rng.randint(n_min, n_max)
    parts: list[tuple[str, list]] = []
    social = ev["channel"] == "social"

    def mixed():
        mx = [m for m in MIXED if (not m[2] or d >= PRICE_DAY) and (set(m[1]) & set(themes) or gain in m[1])]
        if not mx:
            return None
        tpl, tags, _ = pick(mx)
        return (render(tpl, ctx), list(tags))

    if stage == "awareness":
        parts.append((render(pick(AWARENESS_NOW if social else AWARENESS_PAST), ctx), ["awareness"]))
        if rng.random() < 0.5:
            parts.append((render(pick([t for t in CONSIDER[c.persona] + CONSIDER_GENERIC
                                       if social or "anyone" not in t]), ctx), ["consideration"]))
    elif stage == "consideration":
        bank = CONSIDER[c.persona] + CONSIDER_GENERIC[:3]
        if not social:
            bank = [t for t in bank if "anyone" not in t] or CONSIDER_GENERIC[:3]
        parts.append((render(pick(bank), ctx), ["consideration"]))
        if rng.random() < 0.45:
            parts.append((render(pick([t for t in CONSIDER_GENERIC + PLAIN_QUESTIONS
                                       if social or "anyone" not in t]), ctx), ["consideration"]))
    elif stage == "decision":
        if ev.get("neg") or mood < -0.1:
            parts.append((render(pick(DECISION_NEG), ctx), ["decision", "pricing"]))
        else:
            parts.append((render(pick(DECISION_POS), ctx), ["decision"]))
        if rng.random() < 0.3:
            parts.append((render(pick(DECISION_Q), ctx), ["decision"]))
    elif stage == "advocacy":
        if ev["channel"] == "ticket":
            tpl, tags = pick(ADVOCACY_TICKET)
            parts.append((render(tpl, ctx), ["advocacy"] + tags))
        elif mood >= 0.15:
            parts.append((render(pick(ADVOCACY_POS), ctx), ["advocacy"]))
        else:
            parts.append((render(pick(ADVOCACY_NEG), ctx), ["advocacy"]))

    if stage == "retention":
        if mood < 0.35:
            parts.append((pain_sentence(c, themes[0], d, ctx), [themes[0]]))
        else:
            parts.append((render(pick(GAINS[gain]), ctx), [gain]))
    pre = stage in ("awareness", "consideration", "decision")
    chatty = ev["channel"] in ("ticket", "social")
    facts = NEUTRAL_FACTS + PLAIN_QUESTIONS if chatty else NEUTRAL_FACTS
    ti = 0
    guard = 0
    gains_used = 0
    while len(parts) < n and guard < 30:
        guard += 1
        r = rng.random()
        if pre and not chatty:
            # reviews and survey answers look back on the trial or purchase
            if r < 0.6:
                if mood < 0.1 or (r < 0.2 and mood < 0.5):
                    tpl, t = pick(TRIAL_NEG)
                else:
                    tpl, t = pick(TRIAL_POS)
                parts.append((render(tpl, ctx), [t]))
            elif r < 0.8:
                parts.append((render(pick(PRE_FACTS), ctx), []))
            else:
                parts.append((render(pick(PRE_FLAVOR[c.persona]), ctx), []))
            continue
        if pre:
            if r < 0.3:
                parts.append((render(pick(PRE_FACTS), ctx), []))
            elif r < 0.5:
                parts.append((render(pick(PLAIN_QUESTIONS + CONSIDER_GENERIC), ctx), [stage]))
            elif r < 0.62:
                parts.append((render(pick(PRE_FLAVOR[c.persona]), ctx), []))
            elif r < 0.8 and stage != "awareness" and mood < 0.5:
                tpl, t = pick(TRIAL_NEG)
                parts.append((render(tpl, ctx), [t]))
            else:
                tpl, g = pick(TRIAL_POS)
                parts.append((render(tpl, ctx), [g]))
            continue
        if mood < -0.25:
            if r < 0.74:
                t = themes[ti % len(themes)]
                ti += 1
                parts.append((pain_sentence(c, t, d, ctx), [t]))
            elif r < 0.86:
                parts.append((render(pick(PERSONA_FLAVOR[c.persona]), ctx), []))
            elif r < 0.93:
                parts.append((render(pick(NEUTRAL_FACTS), ctx), []))
            else:
                m = mixed()
                if m:
                    parts.append(m)
        elif mood < 0.35:
            if r < 0.15:
                m = mixed()
                if m:
                    parts.append(m)
            elif r < 0.6:
                t = themes[ti % len(themes)]
                ti += 1
                parts.append((pain_sentence(c, t, d, ctx), [t]))
            elif r < 0.78 and gains_used < 1:
                gains_used += 1
                parts.append((render(pick(GAINS[gain]), ctx), [gain]))
            elif r < 0.9:
                parts.append((render(pick(facts), ctx), []))
            else:
                parts.append((render(pick(PERSONA_FLAVOR[c.persona]), ctx), []))
        else:
            if r < 0.6 and gains_used < 2:
                gains_used += 1
                g = gain if gains_used == 1 or rng.random() < 0.5 else rng.choice(c.gains)
                parts.append((render(pick(GAINS[g]), ctx), [g]))
            elif r < 0.74 and ti < 1:
                t = themes[0]
                ti += 1
                parts.append((pain_sentence(c, t, d, ctx), [t]))
            elif r < 0.88:
                parts.append((render(pick(facts), ctx), []))
            else:
                parts.append((render(pick(ADVOCACY_POS), ctx), ["advocacy"]))
    seen: list[str] = []
    uniq = []
    for s_, tags in parts:
        if s_ not in seen:
            seen.append(s_)
            uniq.append((s_, tags))
    parts = uniq
    if offtopic and rng.random() < offtopic:
        pos = rng.randint(0, len(parts))
        parts.insert(pos, (render(pick(OFF_TOPIC), ctx), []))
    if stage == "retention" and not social and rng.random() < 0.06:
        parts.insert(0, (render(pick(AWARENESS_PAST), ctx), ["awareness"]))
    return parts


PRICING_SPLIT = {"before": 0, "after": 0}


def record_tags(parts: list, channel: str, stage: str, when: datetime | None = None) -> None:
    for _, tags in parts:
        for t in tags:
            if t in PAIN_THEMES or t in GAIN_THEMES:
                tally(t)
            if t == "pricing" and when is not None:
                PRICING_SPLIT["after" if when.date() >= PRICE_DAY else "before"] += 1
    STAGE_TALLY[(channel, stage)] = STAGE_TALLY.get((channel, stage), 0) + 1


WORD_RE_CACHE: dict[str, re.Pattern] = {}


def word_re(w: str) -> re.Pattern:
    if w not in WORD_RE_CACHE:
        WORD_RE_CACHE[w] = re.compile(r"(?<![\w@/.])" + re.escape(w) + r"(?![\w])")
    return WORD_RE_CACHE[w]


def add_typos(text: str, k: int) -> str:
    present = [w for w in TYPOS if word_re(w).search(text) and (w != "the" or rng.random() < 0.2)]
    if not present:
        return text
    for w in rng.sample(present, k=min(k, len(present))):
        text = word_re(w).sub(TYPOS[w], text, count=1)
    return text


def add_caps(text: str) -> str:
    present = [w for w in EMPHASIS if re.search(r"\b" + w + r"\b", text)]
    if not present:
        return text
    w = rng.choice(present)
    return re.sub(r"\b" + w + r"\b", w.upper(), text, count=1)


def add_emoji(text: str, mood: float, sarcastic: bool = False) -> str:
    if sarcastic:
        e = rng.choice(EMOJI_SARC)
    elif mood < -0.1:
        e = rng.choice(EMOJI_NEG)
    elif mood > 0.3:
        e = rng.choice(EMOJI_POS)
    else:
        e = rng.choice(["🤔", "👀", "🙂", "😅"])
    if rng.random() < 0.25:
        e = e * rng.randint(2, 3)
    return text.rstrip() + " " + e


def messify(text: str, mood: float, p_typo=0.3, p_caps=0.15, p_lower=0.1, p_emoji=0.1) -> str:
    if rng.random() < p_typo:
        text = add_typos(text, rng.choice([1, 1, 2, 3]))
    if mood < 0.1 and rng.random() < p_caps:
        text = add_caps(text)
    if rng.random() < p_lower:
        text = text.lower()
        if rng.random() < 0.5:
            text = text.rstrip(".")
    if rng.random() < p_emoji:
        text = add_emoji(text, mood, sarcastic=("🙃" not in text and mood < -0.2 and rng.random() < 0.2))
    return text


PII_COUNT = {"records": 0}


def pii_sentence(c: Customer | None) -> str:
    PII_COUNT["records"] += 1
    alt = None
    if c is not None:
        alt = f"{slug(c.first)}.{rng.choice(['personal', 'home', 'backup', 'old'])}@{rng.choice(FREE_DOMAINS)}"
    opts = [
        lambda: f"You can call me on {rng.choice(PHONES)} if that's easier.",
        lambda: f"my number is {rng.choice(PHONES)}, text me",
        lambda: f"The card you charged was {rng.choice(TEST_CARDS)}, please check it.",
        lambda: f"I paid with {rng.choice(TEST_CARDS)} exp 04/28 if that helps find it.",
        lambda: f"Please reply to {alt or 'jo.backup@gmail.com'} instead, I can't get into my work inbox.",
        lambda: f"Call {rng.choice(PHONES)} any time before 6pm.",
        lambda: f"My other email is {alt or 'sam.old@yahoo.com'} in case the account is under that one.",
    ]
    return rng.choice(opts)()

# ---------------------------------------------------------------------------
# Journeys: events per customer
# ---------------------------------------------------------------------------

P_AW_SOCIAL = dict(price_sensitive=.3, feature_driven=.25, efficiency=.2, support_seeker=.15,
                   churn_risk=.2, advocate=.45)
P_CONS_TICKET = dict(price_sensitive=.55, feature_driven=.65, efficiency=.35, support_seeker=.6,
                     churn_risk=.3, advocate=.25)
P_CONS_SOCIAL = dict(price_sensitive=.35, feature_driven=.3, efficiency=.2, support_seeker=.15,
                     churn_risk=.25, advocate=.3)
N_RET_TICKETS = dict(price_sensitive=(0, 3), feature_driven=(1, 3), efficiency=(0, 2),
                     support_seeker=(3, 7), churn_risk=(2, 5), advocate=(0, 1))
N_RET_SOCIAL = dict(price_sensitive=(0, 2), feature_driven=(0, 2), efficiency=(0, 2),
                    support_seeker=(0, 1), churn_risk=(1, 3), advocate=(1, 3))
N_REVIEWS = dict(price_sensitive=(0, 2), feature_driven=(0, 2), efficiency=(0, 2),
                 support_seeker=(0, 1), churn_risk=(1, 2), advocate=(1, 3))
PLATFORM_W = {
    "price_sensitive": dict(twitter=50, reddit=35, linkedin=5, instagram=10),
    "feature_driven": dict(twitter=45, reddit=25, linkedin=25, instagram=5),
    "efficiency": dict(twitter=50, reddit=15, linkedin=25, instagram=10),
    "support_seeker": dict(twitter=60, reddit=15, linkedin=5, instagram=20),
    "churn_risk": dict(twitter=65, reddit=25, linkedin=3, instagram=7),
    "advocate": dict(twitter=45, reddit=10, linkedin=20, instagram=25),
}
NPS_WAVES = [(date(2026, 1, 12), date(2026, 1, 28), 0.45),
             (date(2026, 3, 2), date(2026, 3, 20), 0.8),
             (date(2026, 6, 1), date(2026, 6, 22), 0.78)]


def ev(c, d, channel, stage, **kw) -> dict:
    d = clamp_date(d)
    lo, hi = (8, 20) if channel == "ticket" else (6, 24)
    e = {"date": at_time(d, lo, hi), "channel": channel, "stage": stage,
         "mood": mood_at(c, d)}
    e.update(kw)
    if "themes" not in e:
        e["themes"] = pick_themes(c, d, k=rng.choice([1, 1, 2]))
    return e


def store_for(c) -> str:
    if c.os == "ios":
        return wchoice({"App Store": 70, "G2": 12, "Trustpilot": 18})
    if c.os == "android":
        return wchoice({"Google Play": 70, "G2": 12, "Trustpilot": 18})
    return wchoice({"G2": 50, "Trustpilot": 50})


def plan_customer(c: Customer) -> list[dict]:
    p = c.persona
    evs: list[dict] = []
    aw = c.start
    cons = aw + timedelta(days=rng.randint(0, 12))
    dec = c.decision
    if rng.random() < P_AW_SOCIAL[p]:
        evs.append(ev(c, aw, "social", "awareness"))
    if rng.random() < 0.06:
        evs.append(ev(c, aw, "ticket", "awareness"))
    if rng.random() < 0.04:
        evs.append(ev(c, dec + timedelta(days=rng.randint(5, 40)), "review", "awareness"))
    if rng.random() < P_CONS_TICKET[p]:
        evs.append(ev(c, cons, "ticket", "consideration"))
    if rng.random() < P_CONS_SOCIAL[p]:
        evs.append(ev(c, cons + timedelta(days=rng.randint(0, 5)), "social", "consideration"))
    if rng.random() < 0.05:
        evs.append(ev(c, dec - timedelta(days=rng.randint(0, 3)), "review", "consideration"))
    if rng.random() < 0.3:
        evs.append(ev(c, dec, "ticket", "decision", neg=rng.random() < 0.55))
    if rng.random() < 0.22:
        evs.append(ev(c, dec, "social", "decision"))
    if rng.random() < {"advocate": 0.45, "efficiency": 0.12, "feature_driven": 0.1}.get(p, 0.03):
        evs.append(ev(c, rand_date(dec + timedelta(days=40), END), "ticket", "advocacy"))
    if rng.random() < 0.08:
        evs.append(ev(c, dec + timedelta(days=rng.randint(1, 10)), "review", "decision"))

    ret0 = dec + timedelta(days=3)
    end = c.end
    # retention tickets
    for _ in range(rng.randint(*N_RET_TICKETS[p])):
        if c.trigger and rng.random() < 0.75 and c.trigger < end:
            d = rand_date(c.trigger, min(end, c.trigger + timedelta(days=70)))
        elif p == "support_seeker" and rng.random() < 0.5:
            d = rand_date(max(ret0, SUPPORT_CRUNCH[0]), min(end, SUPPORT_CRUNCH[1]))
        else:
            d = rand_date(ret0, end)
        evs.append(ev(c, d, "ticket", "retention"))
    # retention social: churn risks go public right after the trigger
    n_soc = rng.randint(*N_RET_SOCIAL[p])
    for k in range(n_soc):
        if c.trigger and k == 0 and c.trigger < end:
            d = c.trigger + timedelta(days=rng.randint(0, 3))
        elif c.trigger and rng.random() < 0.6 and c.trigger < end:
            d = rand_date(c.trigger, min(end, c.trigger + timedelta(days=60)))
        else:
            d = rand_date(ret0, end)
        stage = "advocacy" if (p == "advocate" and rng.random() < 0.5) else "retention"
        evs.append(ev(c, d, "social", stage))
    # reviews near the end of the arc
    for k in range(rng.randint(*N_REVIEWS[p])):
        if c.trigger and c.trigger < end:
            d = rand_date(c.trigger + timedelta(days=14), min(END, end + timedelta(days=10)))
        else:
            d = rand_date(dec + timedelta(days=30), END)
        stage = "advocacy" if rng.random() < 0.6 else "retention"
        evs.append(ev(c, d, "review", stage, store=store_for(c)))
    # cancellation posts
    if c.cancel:
        if rng.random() < 0.6:
            evs.append(ev(c, c.cancel, "social", "advocacy", mood=-0.8))
        if rng.random() < 0.3:
            evs.append(ev(c, c.cancel - timedelta(days=1), "ticket", "retention",
                          themes=[c.primary, "pricing"] if c.primary != "pricing" else ["pricing"]))
    # NPS waves
    for w0, w1, prob in NPS_WAVES:
        if c.start > w0 - timedelta(days=20):
            continue
        if c.cancel and c.cancel < w0:
            prob = 0.25
        if rng.random() < prob:
            d = rand_date(w0, w1)
            m = mood_at(c, d, noise=0.2)
            if (d - dec).days < 35:
                stage = "decision"
            elif c.plan == "Free" and rng.random() < 0.6:
                stage = "consideration"
            else:
                stage = "retention"
            evs.append(ev(c, d, "survey", stage, mood=m))
    return evs


def plan_hero(c: Customer) -> list[dict]:
    """C0007: tweets, tickets, NPS 3, then a 1-star review and an interview."""
    c.persona = "churn_risk"
    c.plan, c.annual, c.bank, c.os = "Pro", False, "Chase", "ios"
    c.device = "iPhone 13"
    c.start = date(2025, 8, 14)
    c.decision = date(2025, 9, 2)
    c.trigger = date(2026, 3, 1)
    c.drop, c.base = 1.2, 0.35
    c.primary, c.secondary = "pricing", "sync"
    c.cancel, c.end = date(2026, 4, 21), date(2026, 4, 21)
    c.recovery = None
    F = lambda s, tags: [(s, tags)]
    evs = [
        ev(c, date(2025, 8, 14), "social", "awareness", platform="twitter"),
        ev(c, date(2025, 8, 20), "ticket", "consideration"),
        ev(c, date(2025, 9, 2), "social", "decision", platform="twitter", mood=0.6),
        ev(c, date(2025, 11, 18), "ticket", "retention", themes=["sync"], mood=0.0),
        ev(c, date(2026, 1, 20), "survey", "retention", mood=0.3, score=8),
        ev(c, date(2026, 3, 2), "social", "retention", platform="twitter", mood=-0.8, themes=["pricing", "support"],
           fixed=F("@Ledgerly charged me twice for March and your chat bot sent me an article about dark mode 🙃",
                   ["pricing", "support"]), solo=True),
        ev(c, date(2026, 3, 3), "ticket", "retention", themes=["pricing"], mood=-0.6),
        ev(c, date(2026, 3, 10), "ticket", "retention", themes=["support", "pricing"], mood=-0.9,
           fixed=F("This is the third time I'm asking about the double charge on my Pro renewal.",
                   ["support", "pricing"]), subject="Third time asking - double charge"),
        ev(c, date(2026, 3, 12), "survey", "retention", mood=-0.7, score=3,
           fixed=F("Raised the price, kept the bugs, lost my refund.", ["pricing", "sync"]), solo=True),
        ev(c, date(2026, 4, 2), "review", "advocacy", mood=-0.9, rating=1, store="App Store",
           title="Used to be great", themes=["sync", "support"],
           fixed=F("Lovely invoices, but bank sync ate three weeks of my transactions and nobody at "
                   "support could tell me where they went.", ["invoicing", "sync", "support"])),
        ev(c, date(2026, 4, 21), "social", "advocacy", platform="twitter", mood=-0.9,
           themes=["pricing"]),
    ]
    return evs


def make_ghost(persona: str | None = None) -> Customer:
    """An anonymous voice: a reviewer or poster we can't tie to an account."""
    persona = persona or rng.choice(PERSONAS)
    first, pron = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    g = Customer(None, first, pron, last, persona)
    g.biz, stub = rng.choice(BUSINESSES)
    g.biz_name = f"{first} {last}"
    g.plan = wchoice(PLAN_W[persona])
    g.annual = rng.random() < 0.3
    g.bank = rng.choice(BANKS)
    g.os = rng.choice(["ios", "android", "web"])
    g.device = rng.choice(DEVICES_IOS if g.os == "ios" else DEVICES_ANDROID)
    g.competitor = rng.choice(COMPETITORS)
    g.agent = rng.choice(AGENTS)
    g.start = START
    g.decision = START
    g.trigger = g.recovery = g.cancel = None
    g.drop = 0.0
    g.base = BASE_MOOD[persona]
    g.end = END
    setup_arc(g)
    g.start = START
    g.decision = START
    g.trigger = g.recovery = g.cancel = None
    g.end = END
    fl, ll = slug(first), slug(last)
    g.handle = "@" + rng.choice([f"{fl}{rng.randint(1, 999)}", f"{fl}_{stub}", f"{stub}{fl}", f"{ll}{fl[0]}",
                                 f"not_{fl}", f"{fl}_{ll}_", f"{stub}_and_{rng.choice(['coffee', 'chaos', 'cats'])}",
                                 f"{fl}.{stub}", f"{rng.choice(['sole', 'solo', 'tiny', 'indie'])}{stub}"])
    g.reddit = "u/" + rng.choice([f"{fl}{rng.randint(10, 99)}", f"{stub}_throwaway", f"{ll}_{stub}",
                                  f"Quiet{stub.capitalize()}{rng.randint(1, 9)}", f"{fl}_not_{ll}"])
    g.email = f"{fl}.{ll}@{rng.choice(FREE_DOMAINS)}"
    return g


# ---------------------------------------------------------------------------
# Channel renderers
# ---------------------------------------------------------------------------

ERROR_QUOTES = ['The error just says "Something went wrong". Very helpful.',
                'I keep getting "Unable to reach your bank (E1042)".',
                'The checkout page said "Payment could not be processed" but the money left my account.',
                'It logged me out with "Your session has expired" in the middle of an invoice.',
                'The button says "Retry sync" and retrying does nothing.']
QUESTION_SUBJECTS = ["Question about recurring invoices", "How to export invoices", "Quick question",
                     "Adding a team member", "Changing invoice template", "Question"]


def join_parts(parts: list, paragraphs: bool) -> str:
    sents = [s for s, _ in parts]
    if paragraphs and len(sents) >= 3:
        cut = sorted(rng.sample(range(1, len(sents)), k=min(len(sents) - 1, rng.choice([1, 1, 2]))))
        chunks, prev = [], 0
        for cpos in cut + [len(sents)]:
            chunks.append(" ".join(sents[prev:cpos]))
            prev = cpos
        return "\n\n".join(chunks)
    return " ".join(sents)


def ticket_record(c: Customer, e: dict) -> dict:
    d = e["date"].date()
    ctx = ctx_for(c, d)
    stage = e["stage"]
    key = e["themes"][0] if stage == "retention" else stage
    mood = e["mood"]
    if e.get("subject"):
        subject = e["subject"]
    elif stage == "retention" and mood > 0.45 and rng.random() < 0.5:
        subject = pick(QUESTION_SUBJECTS)
    else:
        subject = render(pick(SUBJECTS[key]), ctx)
    if rng.random() < 0.15:
        subject = subject.lower()
    fixed = e.get("fixed", [])
    if not fixed and key in SHORT_TICKETS and rng.random() < 0.08:
        parts = [(render(pick(SHORT_TICKETS[key]), ctx), [key])]
        body = parts[0][0]
        greet = close = False
    else:
        parts = compose(c, e, 1, 6, offtopic=0.12)
        if rng.random() < 0.08:
            parts.insert(rng.randint(0, len(parts)), (pick(ERROR_QUOTES), []))
        multi = rng.random() < 0.4
        body = join_parts(parts, multi)
        body = messify(body, mood, p_typo=0.3, p_caps=0.3, p_lower=0.08, p_emoji=0.07)
        if fixed:
            body = " ".join(s for s, _ in fixed) + ("\n\n" if multi else " ") + body
            parts = fixed + parts
        if rng.random() < 0.07:
            body += (" " if rng.random() < 0.5 else "\n\n") + pii_sentence(c)
        greet = rng.random() < 0.65
        close = rng.random() < 0.55
        if greet:
            body = pick(GREETINGS) + ("\n\n" if multi or rng.random() < 0.4 else " ") + body
        if close:
            body = body + ("\n\n" if multi or rng.random() < 0.5 else " ") + render(pick(CLOSERS), ctx)
    record_tags(parts, "ticket", stage, e["date"])
    return {"dt": e["date"], "requester": c.email, "cid": c.cid or "", "subject": subject,
            "description": body, "mood": mood, "stage": stage}


def ticket_status(dt: datetime, mood: float) -> tuple[str, str]:
    age = (datetime.combine(END, time(23, 59)) - dt).days
    if age < 6:
        status = wchoice({"new": 45, "open": 35, "pending": 20})
    elif age < 25:
        status = wchoice({"open": 25, "pending": 25, "solved": 40, "new": 5, "closed": 5})
    else:
        status = wchoice({"solved": 50, "closed": 38, "pending": 6, "open": 6})
    if status in ("solved", "closed"):
        if mood < -0.3:
            sat = wchoice({"bad": 30, "offered": 45, "unoffered": 20, "good": 5})
        elif mood > 0.4:
            sat = wchoice({"good": 25, "offered": 45, "unoffered": 28, "bad": 2})
        else:
            sat = wchoice({"good": 8, "bad": 8, "offered": 50, "unoffered": 34})
    else:
        sat = wchoice({"unoffered": 85, "offered": 15})
    return status, sat


def rating_for(m: float) -> int:
    if m > 0.5:
        return rng.choice([5, 5, 5, 5, 4])
    if m > 0.15:
        return rng.choice([5, 4, 4, 3, 5])
    if m > -0.2:
        return rng.choice([3, 3, 2, 4])
    if m > -0.5:
        return rng.choice([2, 1, 1, 2])
    return 1


EDIT_LINES_NEG = ["EDIT: {days} days later and still broken.", "Update: they refunded one charge, still waiting on the other.",
                  "EDIT: support finally replied. With a help article I'd already read.",
                  "Update {month}: cancelled."]
EDIT_LINES_POS = ["Update: {agent} from support sorted it, bumping to {stars} stars.",
                  "EDIT: sync has been fine since the last update, thanks team.",
                  "Update: still using it daily, still happy."]


def review_record(c: Customer, e: dict, author: str) -> dict:
    d = e["date"].date()
    ctx = ctx_for(c, d)
    mood = e["mood"]
    rating = e.get("rating") or rating_for(mood)
    mood = max(-1.0, min(1.0, (mood + {5: 0.7, 4: 0.35, 3: 0.0, 2: -0.35, 1: -0.75}[rating]) / 2))
    e["mood"] = mood
    short_store = e.get("store") in ("App Store", "Google Play")
    parts = compose(c, e, 1, 3 if short_store else 6, offtopic=0.05)
    body = join_parts(parts, rng.random() < 0.25)
    body = messify(body, mood, p_typo=0.25, p_caps=0.25, p_lower=0.12, p_emoji=0.3)
    fixed = e.get("fixed", [])
    if fixed:
        body = " ".join(s for s, _ in fixed) + " " + body
        parts = fixed + parts
    if rng.random() < 0.07:
        bank = EDIT_LINES_NEG if rating <= 2 else EDIT_LINES_POS
        ctx2 = dict(ctx, stars=str(min(5, rating + 1)))
        body += "\n\n" + render(pick(bank), ctx2)
    if rng.random() < 0.05:
        body += " " + pii_sentence(c if c.cid else None)
    title = e.get("title") or pick(TITLES[rating])
    if rng.random() < 0.15:
        title = title.lower()
    if rating == 1 and rng.random() < 0.15:
        title = title.upper()
    record_tags(parts, "review", e["stage"], e["date"])
    return {"id": None, "customer_id": c.cid, "author": author, "rating": rating, "title": title,
            "body": body, "date": d.isoformat(), "store": e.get("store") or store_for(c), "_dt": e["date"]}


def review_author(c: Customer, store: str, anonymous: bool) -> str:
    if anonymous:
        return rng.choice(["Anonymous", "A Google user", "Verified User in Accounting", "Small business owner",
                           f"{c.first} {c.last[0]}.", f"{slug(c.first)}{rng.randint(1, 99)}",
                           f"{rng.choice(['Tired', 'Happy', 'Busy', 'Grumpy', 'Solo'])}{rng.choice(['Designer', 'Plumber', 'Freelancer', 'Baker', 'Owner'])}",
                           f"{c.first}", "Verified User in Design", f"{c.first} from {rng.choice(['Leeds', 'Austin', 'Perth', 'Toronto', 'Cork'])}"])
    if store == "Google Play":
        return c.full
    if store == "App Store":
        return rng.choice([f"{c.first} {c.last[0]}.", f"{slug(c.first)}{slug(c.last)[:4]}", c.handle.lstrip("@"), c.first])
    if store == "G2":
        return rng.choice([f"{c.first} {c.last[0]}.", f"{c.full}", f"{c.first} {c.last[0]}., Owner"])
    return rng.choice([c.full, c.first, f"{c.first} {c.last[0]}."])


REDDIT_OPENERS = {
    "neg": ["Anyone else having this with Ledgerly?", "PSA for Ledgerly users:", "Rant incoming, sorry.",
            "Need a sanity check.", "Is it just me?", ""],
    "pos": ["Mini review after a few months:", "Small appreciation post.", "Since people keep asking about invoicing apps:",
            "Not sponsored, just happy.", ""],
    "pre": ["Genuine question for the freelancers here.", "Long time lurker, first post.",
            "Throwaway because my clients follow my main.", "Looking at invoicing tools,", "Quick one:", ""],
}
REDDIT_TAILS = {
    "neg": ["Edit: thanks for the replies, going to try the CSV workaround.",
            "Seems to be common, judging by the other threads here.", "Edit: typo"],
    "pos": ["tl;dr: it's fine, mostly.", "Edit: typo", "Happy to answer questions."],
    "pre": ["Edit: thanks all, starting the trial tonight.", "Edit: typo", "Any experiences welcome."],
}
LINKEDIN_OPENERS = {
    "neg": ["A word of caution on SaaS billing practices:", "Honest review after {months} months with Ledgerly:",
            "Three tools that keep my business running, and one that frustrates me:"],
    "pos": ["Small win this week:", "Honest review after {months} months with Ledgerly:",
            "Sharing in case it helps another founder:", "Something I wish I'd known when I went freelance:"],
    "pre": ["Looking for recommendations from fellow founders:", "Evaluating invoicing tools this month.",
            "Question for my network:"],
}


def tone(e: dict) -> str:
    if e["stage"] in ("awareness", "consideration"):
        return "pre"
    return "neg" if e["mood"] < 0 else "pos"


def social_record(c: Customer, e: dict) -> dict:
    d = e["date"].date()
    ctx = ctx_for(c, d)
    mood = e["mood"]
    platform = e.get("platform") or wchoice(PLATFORM_W[c.persona])
    fixed = e.get("fixed", [])
    if e.get("solo") and fixed:
        parts = list(fixed)
        text = " ".join(s for s, _ in fixed)
    elif platform == "twitter":
        parts = compose(c, e, 1, 2)
        text = " ".join(s for s, _ in parts)
        text = messify(text, mood, p_typo=0.25, p_caps=0.3, p_lower=0.35, p_emoji=0.55)
        r = rng.random()
        if r < 0.35:
            text = "@Ledgerly " + text
        elif r < 0.5:
            text = text + " @Ledgerly"
        elif r < 0.6:
            text = "hey @Ledgerly, " + text[:1].lower() + text[1:]
        if rng.random() < 0.35:
            tags = rng.sample(HASHTAGS_NEG if mood < 0 else HASHTAGS_POS, k=rng.choice([1, 1, 2]))
            text += " " + " ".join(tags)
        if rng.random() < 0.12:
            text += " " + render(rng.choice(LINKS), {"ref": "".join(rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(6))})
    elif platform == "reddit":
        parts = compose(c, e, 2, 5, offtopic=0.12)
        body = join_parts(parts, rng.random() < 0.4)
        body = messify(body, mood, p_typo=0.3, p_caps=0.2, p_lower=0.2, p_emoji=0.12)
        op = pick(REDDIT_OPENERS[tone(e)])
        text = (op + " " + body) if op else body
        if rng.random() < 0.15:
            text += "\n\n" + rng.choice(REDDIT_TAILS[tone(e)])
    elif platform == "linkedin":
        parts = compose(c, e, 2, 4)
        body = " ".join(s for s, _ in parts)
        body = messify(body, mood, p_typo=0.08, p_caps=0.05, p_lower=0.0, p_emoji=0.25)
        text = render(pick(LINKEDIN_OPENERS[tone(e)]), ctx) + " " + body
        text += " " + " ".join(rng.sample(["#smallbusiness", "#freelancing", "#entrepreneurship", "#fintech",
                                           "#cashflow", "#tools", "#solopreneur"], k=rng.randint(1, 3)))
    else:  # instagram
        parts = compose(c, e, 1, 2)
        body = " ".join(s for s, _ in parts)
        body = messify(body, mood, p_typo=0.2, p_caps=0.1, p_lower=0.4, p_emoji=0.9)
        tags = rng.sample(HASHTAGS_POS + ["#ledgerly", "#taxseason", "#girlboss", "#makersgonnamake",
                                          "#smallbusinessowner", "#officeday"], k=rng.randint(2, 5))
        text = body + " " + " ".join(tags)
        if rng.random() < 0.5:
            text = text.replace("Ledgerly", "@ledgerly", 1)
    if fixed and not e.get("solo"):
        text = " ".join(s for s, _ in fixed) + " " + text
        parts = fixed + parts
    if rng.random() < 0.05 and platform != "instagram":
        text += " " + pii_sentence(c if c.cid else None)
    if platform == "twitter":
        while len(text) > 280 and " " in text:
            text = text[:text.rfind(" ", 0, 277)].rstrip(",;") + "…"
    record_tags(parts, "social", e["stage"], e["date"])
    author = {"twitter": c.handle, "instagram": c.handle, "reddit": c.reddit, "linkedin": c.full}[platform]
    if platform == "twitter":
        likes = min(2400, int(rng.paretovariate(1.15)) - 1 + (rng.randint(0, 4) if mood < -0.3 else 0))
    elif platform == "reddit":
        likes = int(rng.paretovariate(1.0)) + rng.randint(0, 6)
    else:
        likes = rng.randint(0, 40) + int(rng.paretovariate(1.4))
    return {"id": None, "author": author, "customer_id": c.cid, "platform": platform,
            "date": iso_z(e["date"]), "text": text, "likes": likes, "_dt": e["date"], "_mood": mood,
            "_first": c.first, "_bank": c.bank}


COMPANY_REPLIES_NEG = [
    "{h} Sorry about this, {first}! Could you DM us the email on your account so we can take a look?",
    "{h} Hi there, we're aware of an issue with some {bank} connections and the team is on it. Updates: https://status.ledgerly.app",
    "{h} We hear you. Please DM us your ticket number and we'll escalate it today.",
    "{h} That's not the experience we want for you. Our billing team can sort out duplicate charges, DM us?",
    "{h} Really sorry for the wait. We're answering tickets as fast as we can and yours is in the queue.",
]
COMPANY_REPLIES_POS = ["{h} This made our day, thank you! 💚", "{h} Thanks for the shout-out, {first}! 🙌",
                       "{h} Love to hear it. Happy invoicing!"]


def company_reply(post: dict) -> dict:
    dt = post["_dt"] + timedelta(hours=rng.randint(1, 30), minutes=rng.randint(0, 59))
    bank = COMPANY_REPLIES_NEG if post["_mood"] < 0.1 else COMPANY_REPLIES_POS
    text = pick(bank).format(h=post["author"], first=post["_first"], bank=post["_bank"])
    return {"id": None, "author": rng.choice(["@Ledgerly", "@Ledgerly", "@LedgerlyHelp"]), "customer_id": None,
            "platform": "twitter", "date": iso_z(dt), "text": text, "likes": rng.randint(0, 3), "_dt": dt}


def nps_record(c: Customer, e: dict) -> dict:
    d = e["date"].date()
    ctx = ctx_for(c, d)
    m = e["mood"]
    score = e.get("score")
    if score is None:
        if m > 0.42:
            score = rng.choice([9, 10, 10, 9, 10, 8])
        elif m > 0.1:
            score = rng.choice([7, 8, 8, 9, 7, 9])
        elif m > -0.22:
            score = rng.choice([5, 6, 7, 6, 4, 8])
        elif m > -0.55:
            score = rng.choice([2, 3, 4, 5, 3, 6])
        else:
            score = rng.choice([0, 1, 2, 0, 3, 1])
    stage = e["stage"]
    if score >= 9 and stage == "retention" and rng.random() < 0.6:
        stage = "advocacy"
        e["stage"] = stage
    fixed = e.get("fixed", [])
    parts: list = []
    if fixed:
        parts = list(fixed)
        comment = " ".join(s for s, _ in fixed)
    elif rng.random() < 0.15:
        comment = ""
    else:
        r = rng.random()
        if r < 0.35:
            if score >= 9:
                t = rng.choice(c.gains)
            elif score >= 7:
                t = rng.choice(c.gains + [c.primary])
            else:
                t = rng.choice(e["themes"] + [c.primary])
            parts = [(render(pick(NPS_SHORT[t]), ctx), [t])]
        else:
            parts = compose(c, e, 1, 3)
            if rng.random() < 0.08:
                parts.insert(0, (render(pick(AWARENESS_PAST), ctx), ["awareness"]))
                stage = e["stage"] = "awareness"
        comment = " ".join(s for s, _ in parts)
        comment = messify(comment, m, p_typo=0.25, p_caps=0.2, p_lower=0.3, p_emoji=0.15)
        if rng.random() < 0.045:
            comment += " " + pii_sentence(c)
    record_tags(parts, "survey", stage, e["date"])
    return {"respondent": c.email, "customer_id": c.cid, "date": d.isoformat(), "score": str(score),
            "comment": comment, "_dt": e["date"]}

# ---------------------------------------------------------------------------
# Interviews
# ---------------------------------------------------------------------------

I_INTRO_R = ["Hi {p}, thanks so much for joining. Can you hear me ok?",
             "Hey {p}! Thanks for making the time. Is my audio coming through alright?",
             "Hi {p}, lovely to meet you. Can you hear me okay?",
             "Hello {p}, thanks for jumping on. Are you able to hear me?"]
I_INTRO_P = ["Yep, loud and clear.", "Hi! Yes, I can hear you. Sorry I'm a couple of minutes late, my last call ran over.",
             "Yes, all good. Can you hear me?", "I think so? Yes. Yeah, you're fine.",
             "Hi, yes. Give me one sec, I'm just closing the window, there's a leaf blower outside. Okay, go."]
I_CONSENT_R = ["Great. Before we start, is it ok if I record this? It's only for our notes.",
               "Perfect. Quick bit of housekeeping: are you ok with me recording? It stays inside the research team.",
               "Lovely. Is it alright if I record the session? We only use it for notes."]
I_CONSENT_P = ["Sure, that's fine.", "Yeah, go for it.", "Of course.", "Yep, no problem."]
I_FRAME_R = ["Thanks. There are no right or wrong answers, I just want to hear about your experience, good and bad. Sound ok?",
             "Brilliant. So this is really just a conversation, I'm interested in your honest experience. Shall we dive in?",
             "Thank you. Nothing you say will hurt anyone's feelings, promise. Ready when you are?"]
I_FRAME_P = ["Sounds good.", "Great, I have opinions, so.", "Ha, okay. Yes.", "Sure, let's do it."]
I_BG_R = ["Could you start by telling me a bit about yourself and your business?",
          "To start, what do you do, and how big is the business?",
          "Can you tell me a little about your work?"]
I_BG_P = ["Sure. So I'm {biz}, I've been doing it for about {years} years now. It's mostly just me, with a bit of help at busy times.",
          "I'm {biz}. Been on my own for {years} years. Before that I was in-house, so the whole invoicing side was new to me.",
          "So, I'm {biz}. We've got a few regular clients and a lot of one-offs, which makes the books, you know, interesting.",
          "I'm {biz}, mostly local clients. I do the work during the day and the admin in the evenings, which is where Ledgerly comes in."]
I_AW_R = ["How did you first hear about Ledgerly?",
          "Do you remember how you came across Ledgerly in the first place?",
          "Take me back to the beginning. How did Ledgerly get on your radar?"]
I_AW_P = ["Honestly? An Instagram ad. I never click those, but it was late and I'd just spent an hour on an invoice in Word, so.",
          "A friend of mine, a photographer, had been using it and kept showing me how fast she could send an invoice from her phone.",
          "My accountant, actually. She said she was tired of my spreadsheets, which, fair.",
          "I think it was a podcast? One of those freelancing ones. They read an ad and the name stuck.",
          "Someone in a Slack group for freelancers posted a screenshot of their dashboard and I was like, what is that.",
          "I was googling invoice apps, like, literally typing 'invoice app that isn't ugly', and it came up."]
I_CONS_R = ["What were you using before that?", "Did you look at any other tools at the time?",
            "What else did you consider?"]
I_CONS_P = ["A spreadsheet. A really elaborate spreadsheet, with colours. I was kind of proud of it, but it didn't chase anyone for money.",
            "I'd tried {competitor} for a few months. It was fine, but the app felt really dated and it crashed on me a couple of times.",
            "I looked at {competitor} and {competitor2}. I made a little comparison table, I do that for everything, and Ledgerly won on the invoices, mostly.",
            "Before that it was Word templates and a folder of PDFs. Which works until it really doesn't.",
            "I did the {competitor} trial and the Ledgerly trial at the same time, which was a bit chaotic, but it helped."]
I_CHOICE_R = ["What made you pick Ledgerly in the end?", "So what tipped it?",
              "Was there a moment where you decided, yes, this one?"]
I_CHOICE_P = ["The invoices looked nicer. That sounds shallow, but my clients see them, so it matters.",
              "Price, at the time. It was cheaper than {competitor}, or it was then anyway.",
              "The bank sync. They promised it would pull in all my transactions automatically, which, well, we'll get to that.",
              "Receipt scanning. I tried it on a coffee receipt during the trial and it just worked, and I was sold.",
              "Honestly, the mobile app. I'm never at a desk.",
              "The Shopify integration, and that it said multi-currency on the pricing page."]
I_PLAN_R = ["Which plan did you go with, and why?", "What plan are you on now?", "And how did you choose the plan?"]
I_PLAN_P = {
    "Free": ["I'm still on Free, honestly. I keep meaning to upgrade and then I look at the price and think, next month."],
    "Starter": ["Starter. I don't need the fancy stuff, I just need invoices and the bank feed.",
                "Starter, monthly. I didn't want to commit to a year in case it didn't work out."],
    "Pro": ["Starter, to begin with. Then I hit the limit on bank accounts and went up to Pro.",
            "Pro, monthly. I wanted the reminders and the multi-currency bit."],
    "Business": ["Business, because I needed a seat for my bookkeeper. It's a lot, but it's split between two of us.",
                 "Business. We have three people in it, so there wasn't really a choice."],
}
I_ANNUAL_P = ["I went annual because of the discount. Two months free, that's real money for me."]
I_ONB_R = ["Can you walk me through your first week with it?", "What was setting it up like?",
           "Tell me about getting started. What do you remember?"]
I_ONB_P_NEG = ["It was... a lot. It asked about chart of accounts and tax methods, and I'm {biz}, I don't know what half of that means.",
               "I spent two evenings just connecting my bank. It kept saying the password was wrong and it wasn't.",
               "The import from {competitor} brought over my clients but not the invoice history, so I had two systems for a while.",
               "I set my opening balance wrong, I think, and I still don't know if it's right, to be honest."]
I_ONB_P_POS = ["Pretty smooth, actually. I had my first invoice out within about twenty minutes.",
               "The checklist thing was helpful. I just did one item a night.",
               "I watched one of the videos and then it was fine. The invoice part is very obvious."]
I_WEEK_R = ["What does a normal week look like with Ledgerly?", "How often are you in it, day to day?",
            "Where does it fit into your week?"]
I_WEEK_P = ["Mondays I do invoices, that's my ritual. Coffee, invoices. Then Fridays I look at what's been paid.",
            "I'm in it most days on my phone, snapping receipts, and then once a month I sit down and reconcile.",
            "Honestly, less than I should be. I let it pile up and then do a big session at the end of the month.",
            "Every day, really. We've got recurring invoices going out for retainers, and I check the dashboard first thing."]

I_THEME_R = {
    "pricing": ["You mentioned the price. How do you feel about what you pay now?",
                "Let's talk about billing. Has anything surprised you there?",
                "How did you find out about the price change in February?"],
    "sync": ["Can you tell me more about the bank sync?", "You said the sync was a problem. What actually happened?",
             "How reliable has the bank connection been for you?"],
    "support": ["Have you had to contact support?", "What was it like dealing with the support team?",
                "How long did it take to get help?"],
    "onboarding": ["Are there parts of the setup you still find confusing?", "Which bits of setting up were hardest?"],
    "features": ["Is there anything you need that Ledgerly doesn't do?", "What's missing for you?",
                 "You mentioned multi-currency. How does that work for you today?"],
    "integrations": ["Which other tools do you connect it to?", "How has the QuickBooks export been?",
                     "Tell me about the integrations you rely on."],
    "mobile": ["How do you find the mobile app compared to the web?", "What do you use the app for, mostly?"],
    "account": ["Have you ever had trouble getting into your account?", "Tell me about the login issue you mentioned."],
    "performance": ["How's the speed of it, day to day?", "You said it's been slow. Where do you notice that?"],
}
I_THEME_P = {
    "pricing": ["So in February my card got charged {new_price} instead of {old_price}. I went looking for the email, and I think there was one, but it was one of those long 'we're evolving' emails, and the number wasn't even in the first paragraph.",
                "The annual renewal is the thing that got me. {annual} just came out of my account and there was no reminder at all. I'd been meaning to drop down a plan.",
                "I got charged twice in {month}. Same amount, same day. It took three emails to get one of them refunded, and the other one I'm still chasing.",
                "It's not that it's expensive exactly. It's that it keeps creeping up and I'm not getting anything new for it. Same bugs, higher price.",
                "I did the maths and it's {diff} more a month, which is small, but I'm paying for about nine subscriptions and they're all doing this.",
                "I'd pay more, honestly, if the sync worked. I'm not paying more for it to not work."],
    "sync": ["The first couple of months were fine. Then in {month} the {bank} feed just stopped, and I didn't notice for about two weeks, which is bad when you're doing your quarterly taxes.",
             "It says connected. The little green dot. But nothing comes through. So you think it's working and it isn't, and that's worse than it just being broken.",
             "What scares me is I don't know what's missing. If ten transactions didn't come through, how would I even know?",
             "It crashed while I was reconciling, and when I opened it again all the matches were gone. I just closed the laptop and went for a walk, honestly.",
             "I ended up downloading CSVs from the bank and importing them by hand, which is exactly what I was paying to not do.",
             "Every few days it wants me to log in to the bank again. The bank sends me a code, and half the time the code expires before Ledgerly accepts it.",
             "Some transactions came in twice. So my balance was off by a few hundred, and I spent a whole evening finding it."],
    "support": ["I opened a ticket, got the automatic reply, then nothing for four days. Then someone closed it as solved. It wasn't solved.",
                "I must have explained the same thing to three different people. Every time it was like starting from zero.",
                "To be fair, when I finally got {agent}, it was great. Actually fixed. But getting to {agent} took a week.",
                "The chat bot just sends you articles. I'd read the articles. That's why I was in the chat.",
                "I ended up tweeting at them, which I hate doing, and then suddenly someone replied within the hour."],
    "onboarding": ["The setup asked me about a chart of accounts and I'm {biz}, I don't know what that is.",
                   "I imported my clients from a spreadsheet and it mixed up the columns, so everyone's email was their phone number for a day.",
                   "The checklist says I'm seventy percent done. Still. I have no idea what the other thirty percent is.",
                   "Tax rates. I have clients in two regions and setting that up took me an afternoon and a YouTube video."],
    "features": ["The one thing I really need is time tracking. Right now I use a separate app and copy the hours over, which is silly.",
                 "I bill a couple of clients in {currency}, and it sort of works, but the bank side doesn't, so the reports are a mess.",
                 "The reports are thin. I want profit per client. That's it, that's the report I want.",
                 "Partial payments. Some of my clients pay in two chunks and there's no clean way to show that.",
                 "I asked about an API before I signed up and they said coming soon. That was last year."],
    "integrations": ["The QuickBooks export is what my accountant uses and it has failed every quarter. She has a whole ritual now to clean it up.",
                     "Zapier was working and then one day it just wasn't, and I had no idea for a month. Invoices weren't getting into my project tracker.",
                     "Shopify orders come in as one lump per day instead of per order, so I can't match anything.",
                     "Stripe is great, the payments bit, but the fees don't show up anywhere, so my income looks bigger than it is.",
                     "The Xero export put everything in the wrong accounts, and my bookkeeper charged me for the time to fix it."],
    "mobile": ["I do most things on my phone, between jobs, and the app is... fine for invoices, but anything else I wait till I'm home.",
               "The Android app logs me out all the time. Every other day, and then it's the 2FA dance again.",
               "On my {device} the invoice preview gets cut off, so I send it a bit blind, which is nerve-wracking."],
    "account": ["I got a new phone and the 2FA codes didn't move over and I was locked out for three days. During invoice week.",
                "The password reset email just never came. I checked spam, everything. In the end support reset it manually."],
    "performance": ["The dashboard got really slow at some point. I'd open it and go make a coffee, literally.",
                    "The tax report just times out. I've got two years of data in there, it's not that much."],
}
# Follow-up questions paired with answers that fit them.
I_THEME_MORE = {
    "pricing": [(["How did that make you feel?", "How did you feel about that?"],
                 "Annoyed, mostly. And a bit embarrassed that I didn't notice sooner."),
                (["What did you expect to happen?", "What would have been better?"],
                 "I wanted a warning. A week before, that's all. Just, hey, this is coming."),
                (["Did you think about leaving at that point?", "Did you look at alternatives?"],
                 "I looked at {competitor}'s pricing that night. I didn't switch, but I looked."),
                (["And how did you solve it in the end?", "Did you get the money back?"],
                 "I asked for a refund on the renewal and they gave me credit instead, which isn't the same thing."),
                (["Has that changed how you see Ledgerly?", "What did that do to your trust in us?"],
                 "It made me trust them less. Like, what else is going to change without anyone telling me?")],
    "sync": [(["What did you do instead?", "How do you work around it?"],
              "I keep a spreadsheet on the side now. Which defeats the point, really."),
             (["How much time would you say that cost you?", "Roughly how long did that take to sort out?"],
              "Probably four or five hours that month. Maybe more, I stopped counting."),
             (["Was that the only time?", "Did it come back?"],
              "I reconnected it, it worked for a week, then the same thing again."),
             (["Did you check if there was an outage?", "Did anything tell you it was broken?"],
              "I checked the status page and it said everything was fine, which was not my experience."),
             (["Did you think about leaving at that point?", "Was that a moment where you considered switching?"],
              "Yeah, I thought about leaving. I still think about it, if I'm honest."),
             (["If you could change one thing there, what would it be?", "What would have helped in that moment?"],
              "I just want it to tell me when it's broken. A big red banner. Anything.")],
    "support": [(["How did that make you feel?", "How did that land with you?"],
                 "Frustrated. Like I was being a nuisance for asking about my own money."),
                (["What would good support look like for you?", "What would you want from support?"],
                 "I'd love a phone number. Even just for billing stuff."),
                (["What did you expect to happen?", "How long did you expect to wait?"],
                 "I expected a day, maybe two. Not a week."),
                (["Did you ever get the same person twice?", "Was it the same agent each time?"],
                 "{agent} said to ask for them by name next time, which was nice, but then I couldn't get through to them.")],
    "onboarding": [(["Did you ever think about giving up?", "How close did you come to quitting?"],
                    "I almost gave up in the first week, to be honest."),
                   (["What would have helped?", "What would have made that easier?"],
                    "A human on a call for twenty minutes would have saved me hours."),
                   (["How did you get past it?", "And how did you solve it in the end?"],
                    "I figured it out eventually, mostly by clicking everything.")],
    "features": [(["Would you pay more for that?", "What would that be worth to you?"],
                  "I'd pay more for it, genuinely. If it was there."),
                 (["Do any other tools do it?", "Have you seen it done well elsewhere?"],
                  "{competitor} has it, which is the annoying part."),
                 (["What do you do today instead?", "How do you work around it?"],
                  "I've got a workaround in Excel but it's fragile."),
                 (["Have you asked us for it?", "Did you tell anyone at Ledgerly?"],
                  "I voted on the feature request board, but it doesn't feel like anyone reads it.")],
    "integrations": [(["What does that cost you?", "How much does that matter day to day?"],
                      "That's the bit that costs me actual money, because my accountant bills by the hour."),
                     (["Did you get an error?", "How did you find out?"],
                      "I didn't get any error. It just quietly stopped."),
                     (["What would you prefer it did?", "If you could change one thing there, what would it be?"],
                      "I'd rather it said this failed than pretend it worked.")],
    "mobile": [(["Would you use the app more if it were better?", "What would change if the app were as good as the web?"],
                "I'd use it way more if the app was as good as the website."),
               (["Is there anything on the app you like?", "Anything that works well on mobile?"],
                "Receipt scanning is the one thing on the app I love, to be fair.")],
    "account": [(["How did that feel?", "What was going through your head?"],
                 "I was genuinely panicking. All my books are in there."),
                (["What would have prevented it?", "What would you want us to add?"],
                 "Backup codes. Please. That's all I ask.")],
    "performance": [(["Is it still like that?", "Has it improved since?"],
                     "It's better now, I think, but it made me nervous."),
                    (["How often does that happen?", "Is that every day?"],
                     "It's fine on a good day. There aren't many good days.")],
}
I_STORY_FOLLOW = ["Can you tell me more about that?", "What happened next?", "Was that the only time?",
                  "Has anything else like that happened?", "Mm-hm. And then what?", "Can you give me an example?"]
# Self-corrections, only appended when the answer mentions what they correct.
I_SELFCORR_T = [
    (r"two weeks", "Actually, closer to three weeks."),
    (r"ten transactions", "Or twenty. I genuinely don't know, that's the point."),
    (r"In February|in February", "Well, the end of January, maybe. Early February."),
    (r"charged twice", "Well, twice that I know of."),
    (r"four days", "Or five, actually."),
    (r"three different people", "Or two, one of them replied twice."),
    (r"a few hundred", "Three hundred and something."),
    (r"three days", "No, sorry, it was the whole weekend and Monday."),
    (r"three emails", "Three emails and a chat, I think."),
]
I_FOLLOW_R = ["Can you tell me more about that?", "What happened next?", "How did that make you feel?",
              "What did you expect to happen?", "Was that the first time?", "And how did you solve it in the end?",
              "Mm-hm. And then what?", "Why do you think that was?"]
I_ACK = ["Right.", "Got it.", "Mm-hm.", "That makes sense.", "Oh no.", "Okay.", "Interesting.", "Yeah.", "Sure."]
I_GAIN_R = ["What do you like most about Ledgerly?", "On the flip side, what's working well for you?",
            "What would you miss if it disappeared tomorrow?"]
I_GAIN_P = {
    "invoicing": ["Honestly, the invoicing is the best I've used. I can send one from the van in about a minute.",
                  "Recurring invoices. I set them up once and I haven't thought about my retainer clients since."],
    "paid_faster": ["Since I turned on the card payments, clients pay so much faster. One guy paid while I was still on the phone with him.",
                    "The reminders. I hate chasing people for money, and now I don't have to."],
    "receipts": ["Receipt scanning is kind of magic. I used to have a literal shoebox.",
                 "Snapping receipts at the petrol station and never thinking about them again. That's the dream and it actually works."],
    "design": ["It's just nice to look at. That sounds silly, but I open it every day and it doesn't make me sad, unlike my old spreadsheet.",
               "Everything is where I expect it. I never had to read a manual for the invoicing side."],
    "agent": ["{agent} in support, honestly. {agent} sorted my bank connection and then emailed the next day to check. That's rare.",
              "When I got a real person, {agent}, it was genuinely good support. Patient, clear, fixed it."],
}
I_PRICE_R = ["How do you feel about the value for money overall?", "Thinking about what you pay, is it worth it?"]
I_PRICE_P_POS = ["For me, yes. I bill one extra hour a month and it pays for itself. I know that's not everyone, though.",
                 "It's fine. I noticed the price went up, I grumbled for a day, and then I forgot about it."]
I_PRICE_P_NEG = ["Right now, no. Not at the new price, not with the sync the way it is.",
                 "It's borderline. If one more thing breaks I'm probably out."]
I_REC_R = ["Would you recommend Ledgerly to a friend? Why or why not?",
           "If a friend asked you about Ledgerly tomorrow, what would you say?",
           "Have you recommended it to anyone?"]
I_REC_P_POS = ["I already have. Three people, I think. I even got a free month out of it.",
               "Yes, with a caveat. Great for invoices. Don't rely on the bank sync.",
               "Yes. I tell everyone at my coworking space, they're probably sick of me."]
I_REC_P_NEG = ["Not right now. I'd tell them to wait until they sort out the billing stuff.",
               "I actually told a friend not to, last month. Which felt bad, because I used to love it.",
               "I'd say look at {competitor} first. Which is sad."]
I_WAND_R = ["If you had a magic wand, what's the one thing you'd change?",
            "If you were running Ledgerly for a day, what would you fix first?"]
I_WAND_P = {
    "pricing": "Warn me before you charge me. That's it, that's the whole wish.",
    "sync": "Make the sync tell me when it breaks. Or, you know, not break.",
    "support": "A phone number for support. Or just faster replies, I'm not picky.",
    "onboarding": "A setup call with a human in the first week.",
    "features": "Time tracking. Please.",
    "integrations": "A QuickBooks export that works first time.",
    "mobile": "Make the app as good as the website.",
    "account": "Backup codes for 2FA.",
    "performance": "Make the dashboard fast again.",
}
I_ELSE_R = ["Is there anything else you want to mention that I didn't ask about?",
            "Anything we didn't cover that you think we should know?"]
I_ELSE_P = ["No, I think that's everything. Oh, actually, one thing: the new logo is nice.",
            "Just that I want it to work. I really do. I'm rooting for it.",
            "No. I think I've ranted enough, ha.",
            "Only that the receipts thing is great and you should tell people about it more."]
I_THANK_R = ["That's really helpful, thank you so much for your time.",
             "Brilliant, thank you. This has been super useful.",
             "Thanks so much. We'll send the gift card over by email this week."]
I_THANK_P = ["No problem, good luck with it!", "Thanks, happy to help. Bye!", "Cheers, bye.", "Anytime. Take care."]
I_SECOND_ADD = ["Yeah, and to add to that, ", "Same for me, mostly. ", "I'd actually push back a bit there. ",
                "Can I jump in? ", "Just to add, "]
I_CUTOUT_R = ["Sorry, you cut out for a second there. Could you say that last bit again?",
              "Sorry, I lost you for a moment. Can you repeat that?"]
FILLERS = ["um, ", "uh, ", "you know, ", "I mean, ", "like, ", "so, "]


KEEP_CAPS = set(["I", "I'm", "I'd", "I've", "I'll"] + MONTHS + SLOTS["weekday"] + COMPETITORS + AGENTS
                + ["Ledgerly", "Zapier", "Stripe", "QuickBooks", "Xero", "Shopify", "PayPal", "Starter", "Pro",
                   "Business", "Free", "Excel", "Word", "Instagram", "Slack", "YouTube", "Android", "Reddit"]
                + [b.split()[0] for b in BANKS])


def hesitate(text: str, level: float) -> str:
    sents = re.split(r"(?<=[.?!])\s+", text)
    out = []
    for s in sents:
        if s and len(s.split()) >= 5 and rng.random() < level:
            f = rng.choice(FILLERS)
            first = s.split()[0].strip(",.?!")
            if rng.random() < 0.65 or "," not in s:
                s = cap_first(f) + (s if first in KEEP_CAPS else s[:1].lower() + s[1:])
            else:
                i = s.index(",")
                s = s[:i + 1] + " " + f.rstrip(", ") + "," + s[i + 1:]
        out.append(s)
    return " ".join(out)


class Interview:
    def __init__(self, researcher: str, label: str, parts: list[Customer], when: date):
        self.researcher, self.label, self.parts, self.when = researcher, label, parts, when
        self.turns: list[tuple[str, str]] = []
        self.used: list[str] = []
        self.tags: list[list[str]] = []

    def r(self, text: str) -> None:
        self.turns.append((self.label, text))
        self.tags.append([])

    def p(self, who: Customer, text: str, tags: list[str] | None = None, hes: float = 0.22) -> None:
        ctx = ctx_for(who, self.when)
        ctx["years"] = rng.choice(["three", "four", "six", "two", "ten", "eight"])
        text = render(text, ctx)
        for pat, corr in I_SELFCORR_T:
            if re.search(pat, text) and corr not in self.used and rng.random() < 0.35:
                self.used.append(corr)
                sents = re.split(r"(?<=[.?!])\s+", text)
                k = next(i for i, x in enumerate(sents) if re.search(pat, x))
                sents.insert(k + 1, corr)
                text = " ".join(sents)
                break
        self.turns.append((who.full, hesitate(text, hes)))
        self.tags.append(tags or [])

    def once(self, bank: list) -> str:
        s = pick(bank, self.used)
        self.used.append(s)
        return s

    def fresh(self, bank: list) -> list:
        return [x for x in bank if x not in self.used]


def build_interview(iv: Interview, themes: list[str], target: int) -> None:
    a = iv.parts[0]
    b = iv.parts[1] if len(iv.parts) > 1 else None
    who = lambda: a if b is None or rng.random() < 0.6 else b
    pf = a.first if b is None else f"{a.first}, {b.first}"
    iv.r(render(pick(I_INTRO_R), {"p": pf}))
    iv.p(a, pick(I_INTRO_P), hes=0.1)
    if b:
        iv.r("And you, " + b.first + "?")
        iv.p(b, "Yep, I'm here. Hi!", hes=0)
    iv.r(pick(I_CONSENT_R))
    iv.p(a, pick(I_CONSENT_P), hes=0)
    iv.r(pick(I_FRAME_R))
    iv.p(a, pick(I_FRAME_P), hes=0)
    iv.r(pick(I_BG_R))
    iv.p(a, pick(I_BG_P))
    if b:
        iv.p(b, "And I look after the money side, more or less. Which mostly means I'm the one who swears at the bank feed.", ["sync"])
        # p() appends consecutively; insert a researcher nudge between
        iv.turns.insert(len(iv.turns) - 1, (iv.label, "And " + b.first + ", what's your role?"))
        iv.tags.insert(len(iv.tags) - 1, [])
    iv.r(pick(I_AW_R))
    iv.p(who(), iv.once(I_AW_P), ["awareness"])
    iv.r(pick(I_CONS_R))
    iv.p(who(), iv.once(I_CONS_P), ["consideration"])
    iv.r(pick(I_CHOICE_R))
    iv.p(who(), iv.once(I_CHOICE_P), ["decision"])
    iv.r(pick(I_PLAN_R))
    iv.p(a, pick(I_ANNUAL_P if a.annual else I_PLAN_P[a.plan]), ["decision"])
    iv.r(pick(I_ONB_R))
    onb_neg = "onboarding" in themes or mood_at(a, iv.when) < 0.1
    iv.p(who(), iv.once(I_ONB_P_NEG if onb_neg else I_ONB_P_POS), ["onboarding"] if onb_neg else ["retention"])
    iv.r(pick(I_WEEK_R))
    iv.p(who(), iv.once(I_WEEK_P), ["retention"])
    cut_done = False

    def second_voice(speaker, t):
        if b and rng.random() < 0.3:
            other = b if speaker is a else a
            opts = iv.fresh(I_THEME_P[t])
            if opts:
                extra = iv.once(opts)
                add = pick(I_SECOND_ADD)
                keep = extra.split()[0] in KEEP_CAPS or add.rstrip().endswith(("?", "."))
                iv.p(other, add + (extra if keep else extra[:1].lower() + extra[1:]), [t])

    def follow(t):
        nonlocal cut_done
        pairs = iv.fresh(I_THEME_MORE[t])
        stories = iv.fresh(I_THEME_P[t])
        if pairs and (rng.random() < 0.6 or not stories):
            qs, ans = iv.once(pairs)
            iv.r(rng.choice([pick(I_ACK) + " ", ""]) + rng.choice(qs))
        elif stories:
            ans = iv.once(stories)
            fq = pick(I_STORY_FOLLOW)
            iv.r(("" if fq.startswith("Mm") else rng.choice([pick(I_ACK) + " ", ""])) + fq)
        else:
            return False
        speaker = who()
        iv.p(speaker, ans, [t])
        second_voice(speaker, t)
        if not cut_done and rng.random() < 0.2 and len(iv.turns[-1][1].split()) > 12:
            cut_done = True
            last = iv.turns[-1][1]
            iv.r(pick(I_CUTOUT_R))
            first_sent = re.split(r"(?<=[.?!])\s+", last)[0]
            keep = first_sent.split()[0].strip(",.?!") in KEEP_CAPS
            iv.turns.append((iv.turns[-2][0], "Oh, sorry. I was saying, " +
                             (first_sent if keep else first_sent[:1].lower() + first_sent[1:])))
            iv.tags.append([])
        return True

    for t in themes:
        q = pick(I_THEME_R[t])
        iv.r(("Okay. " if t == themes[0] else rng.choice(["", "", pick(I_ACK) + " "])) + q)
        speaker = who()
        iv.p(speaker, iv.once(I_THEME_P[t]), [t])
        second_voice(speaker, t)
        for _ in range(rng.randint(2, 4)):
            follow(t)
    # pad with follow-ups to reach the target length
    guard = 0
    while len(iv.turns) < target - 14 and guard < 40:
        guard += 1
        t = rng.choice(themes)
        if not (iv.fresh(I_THEME_MORE[t]) or iv.fresh(I_THEME_P[t])):
            continue
        if rng.random() < 0.3:
            iv.r(pick(["Going back to something you said earlier.", "I want to go back to that for a second.",
                       "Just one more on that."]) + " " + pick(I_THEME_R[t]))
            opts = iv.fresh(I_THEME_P[t])
            if not opts:
                iv.turns.pop()
                iv.tags.pop()
                continue
            iv.p(who(), iv.once(opts), [t])
        else:
            follow(t)
    iv.r(pick(I_GAIN_R))
    g = rng.choice(a.gains)
    iv.p(who(), iv.once(I_GAIN_P[g]), [g])
    if rng.random() < 0.6:
        iv.r(pick(["Love that.", "Nice.", "That's great to hear.", "Ha, fair."]) + " " +
             pick(["Anything else you love?", "Anything else on that side?", "What else?"]))
        g2 = rng.choice([x for x in GAIN_THEMES if x != g])
        iv.p(who(), iv.once(I_GAIN_P[g2]), [g2])
    m = mood_at(a, iv.when)
    if "pricing" not in themes:
        iv.r(pick(I_PRICE_R))
        iv.p(a, pick(I_PRICE_P_POS if m > 0.2 else I_PRICE_P_NEG), [] if m > 0.2 else ["pricing"])
    iv.r(pick(I_REC_R))
    iv.p(a, pick(I_REC_P_POS if m > 0.15 else I_REC_P_NEG), ["advocacy"])
    iv.r(pick(I_WAND_R))
    iv.p(a, I_WAND_P[themes[0]], [themes[0]], hes=0.2)
    iv.r(pick(I_ELSE_R))
    iv.p(a, pick(I_ELSE_P))
    iv.r(pick(I_THANK_R))
    iv.p(a, pick(I_THANK_P), hes=0)
    if b:
        iv.p(b, "Bye! Thanks.", hes=0)
    for spk_tags in iv.tags:
        for t in spk_tags:
            if t in PAIN_THEMES or t in GAIN_THEMES:
                tally(t)


def chunk_text(text: str, width: int) -> list[str]:
    """Split a turn into caption-sized pieces of similar length on word boundaries."""
    k = max(1, -(-len(text) // width))
    target = len(text) / k
    words = text.split()
    out, cur = [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > target + 8 and len(out) < k - 1:
            out.append(cur)
            cur = w
        else:
            cur = (cur + " " + w) if cur else w
    if cur:
        out.append(cur)
    return out


LABEL_LIKE = re.compile(r"^[A-Za-z][A-Za-z .'-]{0,40}:")


def write_txt(path: Path, iv: Interview, header: str | None, blank_between: bool) -> None:
    lines = []
    if header:
        lines += [header, ""]
    for spk, text in iv.turns:
        if spk != iv.label and len(text) > 170 and rng.random() < 0.6:
            sents = re.split(r"(?<=[.?!])\s+", text)
            cut = max(1, len(sents) // 2)
            first, rest = " ".join(sents[:cut]), " ".join(sents[cut:])
            if rest and not LABEL_LIKE.match(rest):
                lines.append(f"{spk}: {first}")
                lines.append(rest)
            else:
                lines.append(f"{spk}: {text}")
        else:
            lines.append(f"{spk}: {text}")
        if blank_between:
            lines.append("")
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


def fmt_ts(sec: float, sep: str) -> str:
    ms = int(round(sec * 1000))
    h, ms = divmod(ms, 3600000)
    m, ms = divmod(ms, 60000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def cues_for(iv: Interview, width: int) -> list[tuple[float, float, str, str, bool]]:
    """(start, end, speaker, text, first_of_turn) with plausible timing."""
    t = rng.uniform(0.8, 2.5)
    cues = []
    for spk, text in iv.turns:
        for i, piece in enumerate(chunk_text(text, width)):
            dur = max(1.2, len(piece.split()) / 2.6 + rng.uniform(0.1, 0.6))
            cues.append((t, t + dur, spk, piece, i == 0))
            t += dur + rng.uniform(0.02, 0.25)
        t += rng.uniform(0.3, 1.6)
    return cues


def write_vtt(path: Path, iv: Interview, teams_ids: bool) -> None:
    out = ["WEBVTT", ""]
    base = "".join(rng.choice("0123456789abcdef") for _ in range(32))
    uid = f"{base[:8]}-{base[8:12]}-{base[12:16]}-{base[16:20]}-{base[20:]}"
    for n, (s, e, spk, text, _) in enumerate(cues_for(iv, 78)):
        if teams_ids:
            out.append(f"{uid}/{n + 11}-{rng.choice([0, 0, 0, 1])}")
        out.append(f"{fmt_ts(s, '.')} --> {fmt_ts(e, '.')}")
        out.append(f"<v {spk}>{text}</v>")
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8")


def write_srt(path: Path, iv: Interview) -> None:
    out = []
    for n, (s, e, spk, text, first) in enumerate(cues_for(iv, 70)):
        out.append(str(n + 1))
        out.append(f"{fmt_ts(s, ',')} --> {fmt_ts(e, ',')}")
        if first or rng.random() < 0.4 or LABEL_LIKE.match(text):
            out.append(f"{spk}: {text}")
        else:
            out.append(text)
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8")


OBS = {
    "sync": ["{p} has reconnected {bank} at least {few} times since {month} and now reconciles against the bank's own app every week.",
             "The sync failures were the emotional core of the session: {p} came back to them unprompted several times.",
             "{p} only noticed the missing transactions when {their} accountant asked about them, weeks later.",
             "The green 'connected' indicator stayed on while nothing synced, so {p} trusted it for too long."],
    "pricing": ["{p} learned about the February price change from a card statement, not from us.",
                "The amount is not the issue for {p}; the surprise is. {They} described the renewal as something that happened to {them}.",
                "{p} is now auditing every subscription and Ledgerly is on the shortlist to cut.",
                "Double charge in early March, one refund still outstanding at the time of the call."],
    "support": ["{p} has opened several tickets since January; at least one was closed without a fix.",
                "Support quality was described as good once a human was reached, but reaching one took days.",
                "{p} resorted to posting publicly to get a reply and felt bad about it."],
    "onboarding": ["Setup vocabulary (chart of accounts, accounting method) lost {p} in the first session.",
                   "{p} completed setup over several evenings, mostly by trial and error."],
    "features": ["Time tracking and per-client profit reports came up as the gaps that keep a second tool in {their} stack.",
                 "Multi-currency works for invoices but not for {their} {currency} bank account, so reports need manual fixing."],
    "integrations": ["Quarterly exports to {their} accountant fail often enough that the accountant has a cleanup routine.",
                     "The Zapier connection broke silently and {p} found out a month later."],
    "mobile": ["{p} lives in the mobile app between jobs and uses the web app only for month-end."],
    "account": ["A 2FA lockout after a phone change kept {p} out of the books for three days."],
    "performance": ["{p} reported long dashboard loads in the mornings."],
}
BULLETS = {
    "sync": ["Bank: {bank}; feed stopped in {month}", "Workaround: manual CSV import from {bank}",
             "Keeps a shadow spreadsheet", "Severity: high, raised unprompted"],
    "pricing": ["Plan: {plan}, was {old_price}/mo, now {new_price}/mo", "No renewal reminder noticed",
                "Looked at {competitor} pricing after the increase", "Refund still outstanding at time of call"],
    "support": ["Tickets since January: {few}", "Best experience: with {agent}", "Would value a phone line for billing"],
    "onboarding": ["Needed several evenings to finish setup", "Confused by accounting terms in the wizard"],
    "features": ["Uses a separate time tracker", "Wants profit by client", "Invoices some clients in {currency}"],
    "integrations": ["Accountant uses QuickBooks/Xero", "Zapier zap broke silently"],
    "mobile": ["Mostly mobile ({device})"],
    "account": ["Locked out by 2FA after phone change"],
    "performance": ["Dashboard slow in the mornings"],
}
MD_HEADINGS = {"sync": "Bank sync", "pricing": "Pricing and billing", "support": "Support",
               "onboarding": "Onboarding", "features": "Missing features", "integrations": "Integrations",
               "mobile": "Mobile app", "account": "Account and login", "performance": "Performance"}
PRON = {"she": dict(They="She", them="her", their="her"), "he": dict(They="He", them="him", their="his"),
        "they": dict(They="They", them="them", their="their")}


def write_md(path: Path, c: Customer, researcher: str, when: date, themes: list[str],
             anchor: str | None) -> list[str]:
    ctx = ctx_for(c, when)
    ctx.update(PRON[c.pron])
    ctx["p"] = c.first
    ctx["few"] = rng.randint(3, 9)
    ctx["month"] = MONTHS[(c.trigger or when).month - 1] if c.trigger and c.trigger < when else MONTHS[(when - timedelta(days=40)).month - 1]
    used: list[str] = []

    def q(text: str) -> str:
        return f'> "{hesitate(render(text, ctx), 0.2)}"'

    L = ["---", f"participant: {c.full}", f"customer_id: {c.cid}", f"date: {when.isoformat()}",
         f"segment: {PERSONA_SEGMENT[c.persona]}, {re.sub(r'^(one half of |the owner of )?(a|an) ', '', c.biz)}", f"researcher: {researcher}", "---", "",
         f"# Interview notes — {c.full}", ""]
    L.append(render(f"Remote call, about {rng.choice([40, 45, 50, 55])} minutes. {c.first} is {{biz}} on the "
                    f"{{plan}} plan, a customer since {MONTHS[c.decision.month - 1]} {c.decision.year}. "
                    "Notes are mine; quotes are verbatim from the recording.", ctx))
    L.append("")
    L += ["## Background", ""]
    aw = pick(I_AW_P, used)
    source = ("an Instagram ad" if "Instagram" in aw else "a friend" if "friend" in aw else
              "an accountant's suggestion" if "accountant" in aw else "a podcast ad" if "podcast" in aw else
              "a freelancers' Slack group" if "Slack" in aw else "a web search")
    L.append(render(f"{c.first} found Ledgerly through {source} and trialled it alongside {{competitor}} "
                    "before paying. The invoices were the deciding factor.", ctx))
    L.append("")
    L.append(q(aw))
    L.append("")
    tally_tags = ["awareness"]
    for t in themes:
        L += [f"## {MD_HEADINGS[t]}", ""]
        for o in rng.sample(OBS[t], k=min(2, len(OBS[t]))):
            L.append(render(o, ctx))
            L.append("")
        for bl in rng.sample(BULLETS[t], k=min(len(BULLETS[t]), rng.randint(2, 3))):
            L.append("- " + render(bl, ctx))
        L.append("")
        if anchor and t == "sync":
            L.append(f'> "{anchor}"')
            L.append("")
            tally("sync")
        for s in rng.sample(I_THEME_P[t], k=min(2, len(I_THEME_P[t]))):
            L.append(q(s))
            L.append("")
            tally(t)
        if rng.random() < 0.5:
            L.append(q(pick(I_THEME_MORE[t])[1]))
            L.append("")
            tally(t)
    L += ["## What's working", ""]
    L.append(render(f"Despite everything above, {c.first} was warm about the core invoicing flow.", ctx))
    L.append("")
    g = c.gains[0]
    L.append(q(pick(I_GAIN_P[g])))
    L.append("")
    tally(g)
    L += ["## Would they recommend it?", ""]
    m = mood_at(c, when)
    L.append(q(pick(I_REC_P_POS if m > 0.15 else I_REC_P_NEG)))
    L.append("")
    L += ["## Takeaways", ""]
    L.append(f"- Main pain: {MD_HEADINGS[themes[0]].lower()}")
    if len(themes) > 1:
        L.append(f"- Also: {', '.join(MD_HEADINGS[t].lower() for t in themes[1:])}")
    L.append(f"- Churn risk: {'high' if m < -0.2 else 'medium' if m < 0.3 else 'low'}")
    L.append("- Follow up: " + {
        "pricing": rng.choice(["share with billing team", "check refund status"]),
        "sync": rng.choice(["add to sync reliability review", "invite to beta of sync status banner"]),
        "support": "share with support lead",
    }.get(themes[0], "add to product feedback board"))
    path.write_text("\n".join(L) + "\n", encoding="utf-8")
    return tally_tags


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def csv_line(fields: list) -> str:
    s = io.StringIO()
    csv.writer(s, lineterminator="\n").writerow(fields)
    return s.getvalue()


def anon_date(neg: bool) -> date:
    """Anonymous traffic grows over the year; complaints cluster after the price increase."""
    if neg and rng.random() < 0.65:
        return rand_date(PRICE_DAY, END)
    return START + timedelta(days=int(rng.triangular(0, (END - START).days, (END - START).days * 0.7)))


def main() -> int:
    for sub in ("interviews", "tickets", "reviews", "social", "surveys"):
        (OUT / sub).mkdir(parents=True, exist_ok=True)
    # remove interviews written by earlier versions of this script (names change with the data)
    for old in sorted((OUT / "interviews").iterdir()):
        if re.match(r"^\d{4}-\d{2}-\d{2}_.+\.(txt|vtt|srt|md)$", old.name):
            old.unlink()

    customers = make_customers()
    hero = customers[6]
    hero_events = plan_hero(hero)

    # --- interview participants (chosen before events so overrides apply) ---
    taken: list[Customer] = [hero]

    def choose(persona: str, when: date) -> Customer:
        cands = [c for c in customers if c.persona == persona and c.start < date(2025, 12, 15)
                 and c not in taken and (not c.cancel or c.cancel > when)]
        c = cands[rng.randrange(len(cands))]
        taken.append(c)
        return c

    agency = [choose("efficiency", date(2026, 3, 19)), choose("feature_driven", date(2026, 3, 19))]
    for c in agency:
        c.biz, c.biz_name = "one half of a two-person web agency", "Northlight Digital"
        c.email = f"{slug(c.first)}@northlightdigital.co"
        c.plan = "Business"
    agency[1].bank = agency[0].bank
    plans = [
        # (file, format, researcher, label, persona or customers, date, header/extra)
        ("2026-03-04_C{cid}_{slug}.txt", "txt", "Maya Chen", "Maya Chen", "churn_risk", date(2026, 3, 4)),
        ("2026-03-12_C{cid}_{slug}.txt", "txt", "Tom Okafor", "Tom Okafor", "advocate", date(2026, 3, 12)),
        ("2026-03-25_C{cid}_{slug}.txt", "txt", "Priya Raman", "Interviewer", "support_seeker", date(2026, 3, 25)),
        ("2026-03-06_C{cid}_{slug}.vtt", "vtt", "Priya Raman", "Priya Raman", "feature_driven", date(2026, 3, 6)),
        ("2026-03-19_northlight-digital.vtt", "vtt2", "Maya Chen", "Maya Chen", agency, date(2026, 3, 19)),
        ("2026-04-02_C{cid}_{slug}.srt", "srt", "Tom Okafor", "Tom Okafor", "efficiency", date(2026, 4, 2)),
        ("2026-03-09_C{cid}_{slug}.srt", "srt", "Maya Chen", "Moderator", "price_sensitive", date(2026, 3, 9)),
        ("2026-03-18_C{cid}_{slug}_notes.md", "md", "Maya Chen", "Maya Chen", [hero], date(2026, 3, 18)),
        ("2026-03-27_C{cid}_{slug}_notes.md", "md", "Priya Raman", "Priya Raman", "price_sensitive", date(2026, 3, 27)),
    ]
    interview_specs = []
    for fname, fmt, researcher, label, who, when in plans:
        parts = who if isinstance(who, list) else [choose(who, when)]
        interview_specs.append((fname, fmt, researcher, label, parts, when))

    # --- events and records -----------------------------------------------------
    tickets, reviews, posts, answers = [], [], [], []
    for c in customers:
        evs = hero_events if c is hero else plan_customer(c)
        evs.sort(key=lambda e: e["date"])
        for e in evs:
            if e["channel"] == "ticket":
                tickets.append(ticket_record(c, e))
            elif e["channel"] == "review":
                store = e.get("store") or store_for(c)
                e["store"] = store
                reviews.append(review_record(c, e, review_author(c, store, anonymous=rng.random() < 0.12)))
            elif e["channel"] == "social":
                posts.append(social_record(c, e))
            elif e["channel"] == "survey":
                answers.append(nps_record(c, e))
    # make sure there are enough survey answers
    wave = NPS_WAVES[2]
    responded = [a["customer_id"] for a in answers if a["date"] >= wave[0].isoformat()]
    for c in customers:
        if len(answers) >= 212:
            break
        if c.cid not in responded and c.start < wave[0] - timedelta(days=20):
            d = rand_date(wave[0], wave[1])
            answers.append(nps_record(c, ev(c, d, "survey", "retention", mood=mood_at(c, d, 0.2))))
    # leads: pre-sales questions from people with no account yet
    for _ in range(14):
        g = make_ghost(rng.choice(["price_sensitive", "feature_driven", "support_seeker", "efficiency"]))
        d = anon_date(False)
        stage = wchoice({"awareness": 3, "consideration": 8, "decision": 3})
        e = {"date": at_time(d, 8, 20), "channel": "ticket", "stage": stage, "mood": 0.1,
             "themes": pick_themes(g, d)}
        tickets.append(ticket_record(g, e))
    # anonymous reviews
    linked_reviews = len(reviews)
    for _ in range(max(140, 316 - linked_reviews)):
        rating = wchoice({5: 40, 4: 12, 3: 8, 2: 10, 1: 30})
        g = make_ghost()
        d = anon_date(rating <= 2)
        stage = wchoice({"advocacy": 55, "retention": 35, "consideration": 4, "decision": 4, "awareness": 2})
        m = {5: 0.7, 4: 0.35, 3: 0.0, 2: -0.35, 1: -0.75}[rating]
        store = wchoice({"App Store": 32, "Google Play": 30, "G2": 18, "Trustpilot": 20})
        g.os = "ios" if store == "App Store" else "android" if store == "Google Play" else g.os
        e = {"date": at_time(d), "channel": "review", "stage": stage, "mood": m, "rating": rating,
             "store": store, "themes": pick_themes(g, d, k=rng.choice([1, 2]))}
        reviews.append(review_record(g, e, review_author(g, store, anonymous=True)))
    # company replies and anonymous posts
    replies = []
    for p in sorted(posts, key=lambda x: x["_dt"]):
        if p["platform"] == "twitter" and rng.random() < (0.2 if p["_mood"] < -0.2 else 0.05):
            replies.append(company_reply(p))
    linked_posts = len(posts)
    n_anon = max(0, round(linked_posts * 2 / 3) - len(replies))
    for _ in range(n_anon):
        g = make_ghost()
        neg = rng.random() < 0.45
        d = anon_date(neg)
        stage = wchoice({"awareness": 15, "consideration": 15, "decision": 8, "retention": 45, "advocacy": 17})
        m = rng.uniform(-0.9, -0.3) if neg else rng.uniform(-0.1, 0.9)
        if stage in ("awareness", "consideration"):
            m = rng.uniform(-0.15, 0.6)
        e = {"date": at_time(d, 0, 24), "channel": "social", "stage": stage, "mood": m,
             "themes": pick_themes(g, d, k=rng.choice([1, 1, 2]))}
        posts.append(social_record(g, e))
    posts += replies

    # --- interviews ---------------------------------------------------------------
    interview_files = []
    for fname, fmt, researcher, label, parts, when in interview_specs:
        a = parts[0]
        name = fname.format(cid=a.cid[1:], slug=slug(a.first) + "-" + slug(a.last))
        path = OUT / "interviews" / name
        themes = [a.primary, a.secondary]
        extra = pick_themes(a, when, k=1)[0]
        if extra not in themes:
            themes.append(extra)
        if a is hero:
            themes = ["sync", "pricing", "support"]
        for c in parts:
            c.channels.append("interview")
        if fmt == "md":
            anchor = "I spent two evenings just connecting my bank, and then it forgot Chase existed." if a is hero else None
            write_md(path, a, researcher, when, themes, anchor)
            interview_files.append((name, None))
            continue
        iv = Interview(researcher, label, parts, when)
        build_interview(iv, themes, rng.randint(36, 74))
        if fmt == "txt":
            idx = len([f for f in interview_files if f[0].endswith(".txt")])
            header = [f"Ledgerly customer interview — {when.isoformat()}",
                      f"Ledgerly customer interview — {when.isoformat()} (remote)", None][idx]
            write_txt(path, iv, header, blank_between=(idx == 1))
        elif fmt in ("vtt", "vtt2"):
            write_vtt(path, iv, teams_ids=(fmt == "vtt"))
        else:
            write_srt(path, iv)
        interview_files.append((name, len(iv.turns)))

    # --- tickets -------------------------------------------------------------------
    tickets.sort(key=lambda t: t["dt"])
    n = len(tickets)
    broken_at = {int(n * 0.33): "B1", int(n * 0.5): "B4", int(n * 0.64): "B2", int(n * 0.8): "B3"}
    final = []
    pool = [c for c in customers if c is not hero]
    for i, t in enumerate(tickets):
        final.append(("ok", t))
        if i in broken_at:
            c = pool[rng.randrange(len(pool))]
            dt = t["dt"] + timedelta(minutes=rng.randint(1, 20))
            final.append((broken_at[i], {"dt": dt, "requester": c.email, "cid": c.cid}))
    buf = bytearray()
    buf += csv_line(["id", "created_at", "requester", "customer_id", "subject", "description", "status",
                     "satisfaction"]).encode("utf-8")
    tid = 10231
    broken_lines = {}
    for row_no, (kind, t) in enumerate(final, start=1):
        line_no = buf.count(b"\n") + 1
        created = iso_z(t["dt"], seconds=False)
        if kind == "ok":
            status, sat = ticket_status(t["dt"], t["mood"])
            buf += csv_line([tid, created, t["requester"], t["cid"], t["subject"], t["description"], status,
                             sat]).encode("utf-8")
        elif kind == "B1":
            buf += csv_line([tid, created, t["requester"], t["cid"], "", "", "open", "unoffered"]).encode("utf-8")
        elif kind == "B2":
            buf += csv_line([tid, "2026-13-45T25:00:00Z", t["requester"], t["cid"], "Refund for duplicate charge",
                             "Hi, I was billed twice for Pro this month. Can you refund one of them please?",
                             "open", "unoffered"]).encode("utf-8")
        elif kind == "B3":
            buf += csv_line([tid, created, t["requester"], t["cid"], "Charged in GBP at a café?",
                             "Hi, I upgraded while sitting in a café in Lyon and the receipt shows £29 plus a "
                             "conversion fee. Is that right? I thought Pro was $29.", "pending", "unoffered"]
                            ).encode("latin-1")
        elif kind == "B4":
            buf += (f'{tid},{created},{t["requester"]},{t["cid"]},Charged twice,"I was charged twice and,'
                    f'open,bad\n').encode("utf-8")
        if kind != "ok":
            broken_lines[kind] = (line_no, row_no, tid)
        t["id"] = tid
        tid += rng.choice([1, 1, 1, 2, 3, 5])
    (OUT / "tickets" / "zendesk_tickets.csv").write_bytes(bytes(buf))
    ticket_text = bytes(buf)

    # --- reviews -------------------------------------------------------------------
    reviews.sort(key=lambda r: r["_dt"])
    nr = len(reviews)
    rb = {int(nr * 0.27): "B5", int(nr * 0.55): "B6", int(nr * 0.83): "B7"}
    rfinal = []
    for i, r in enumerate(reviews):
        rfinal.append(r)
        if i in rb:
            g = make_ghost()
            d = r["_dt"].date()
            obj = {"id": None, "customer_id": None, "author": review_author(g, "Google Play", True),
                   "rating": 1, "title": "", "body": "", "date": d.isoformat(), "store": "Google Play",
                   "_broken": rb[i]}
            if rb[i] == "B6":
                obj.update(rating=7, title="Best app ever", store="App Store",
                           body="Honestly 7 stars if I could, receipt scanning alone is worth it.")
            if rb[i] == "B7":
                obj.update(rating=2, title="sync again", store="Trustpilot", date="last tuesday",
                           body="Bank sync stopped again and support hasn't replied in four days.")
            rfinal.append(obj)
    for i, r in enumerate(rfinal):
        r["id"] = f"R{10001 + i}"
    keys = ["id", "customer_id", "author", "rating", "title", "body", "date", "store"]
    review_json = json.dumps([{k: r[k] for k in keys} for r in rfinal], indent=2, ensure_ascii=False) + "\n"
    (OUT / "reviews" / "app_reviews.json").write_text(review_json, encoding="utf-8")
    rlines = review_json.split("\n")
    review_broken = {}
    for r in rfinal:
        if r.get("_broken"):
            ln = rlines.index(f'    "id": "{r["id"]}",')  # 0-based index of the id line
            review_broken[r["_broken"]] = (ln, r["id"])   # ln == 1-based line of the "{"

    # --- social --------------------------------------------------------------------
    posts.sort(key=lambda p: p["_dt"])
    npst = len(posts)
    sb = {int(npst * 0.41): "B8", int(npst * 0.72): "B9"}
    sout = bytearray()
    social_broken = {}
    sid = 1000
    pkeys = ["id", "author", "customer_id", "platform", "date", "text", "likes"]
    for i, p in enumerate(posts):
        p["id"] = f"s{sid}"
        sid += 1
        sout += (json.dumps({k: p[k] for k in pkeys}, ensure_ascii=False) + "\n").encode("utf-8")
        if i in sb:
            line_no = sout.count(b"\n") + 1
            if sb[i] == "B8":
                sout += b'{"id": "s123", "author": "@x", "text": "the app cra\n'
                social_broken["B8"] = (line_no, "s123")
            else:
                obj = {"id": f"s{sid}", "author": "@cafe_owner_lyon", "customer_id": None, "platform": "twitter",
                       "date": iso_z(p["_dt"] + timedelta(minutes=7)),
                       "text": "sync broke again while I was at the café, and now Ledgerly wants £24 a month?? @Ledgerly",
                       "likes": 2}
                sout += (json.dumps(obj, ensure_ascii=False) + "\n").encode("latin-1")
                social_broken["B9"] = (line_no, f"s{sid}")
                sid += 1
    (OUT / "social" / "mentions.jsonl").write_bytes(bytes(sout))

    # --- surveys -------------------------------------------------------------------
    answers.sort(key=lambda a: a["_dt"])
    na = len(answers)
    ab = {int(na * 0.38): "B10", int(na * 0.7): "B11"}
    sv = io.StringIO()
    w = csv.writer(sv, lineterminator="\n")
    w.writerow(["respondent", "customer_id", "date", "score", "comment"])
    survey_broken = {}
    line = 1
    for i, a in enumerate(answers):
        w.writerow([a["respondent"], a["customer_id"], a["date"], a["score"], a["comment"]])
        line += 1
        if i in ab:
            c = pool[rng.randrange(len(pool))]
            line += 1
            if ab[i] == "B10":
                w.writerow([c.email, c.cid, a["date"], "eleven", "Honestly love it, would give it eleven if I could"])
            else:
                w.writerow([c.email, c.cid, "31/31/2026", "4", "Bank sync keeps dropping."])
            survey_broken[ab[i]] = (line, c.cid)
    (OUT / "surveys" / "nps_2026.csv").write_text(sv.getvalue(), encoding="utf-8")

    # --- report --------------------------------------------------------------------
    chan = {}
    for c in customers:
        chan[c.cid] = list(c.channels)
    for t in tickets:
        if t["cid"]:
            chan[t["cid"]].append("ticket")
    for r in reviews:
        if r["customer_id"]:
            chan[r["customer_id"]].append("review")
    for p in posts:
        if p["customer_id"]:
            chan[p["customer_id"]].append("social")
    for a in answers:
        chan[a["customer_id"]].append("survey")
    multi = [cid for cid in chan if len(set(chan[cid])) >= 3]
    all5 = [cid for cid in chan if len(set(chan[cid])) == 5]

    print("files:")
    for name, turns in interview_files:
        print(f"  corpus/interviews/{name}" + (f"  ({turns} turns)" if turns else "  (notes)"))
    print(f"  corpus/tickets/zendesk_tickets.csv  {len(final)} rows ({len(tickets)} good + 4 broken)")
    print(f"  corpus/reviews/app_reviews.json  {len(rfinal)} objects ({len(reviews)} good + 3 broken; "
          f"{sum(1 for r in reviews if r['customer_id'])} linked to a customer)")
    print(f"  corpus/social/mentions.jsonl  {npst + 2} lines ({npst} good + 2 broken; "
          f"{sum(1 for p in posts if p['customer_id'])} with customer_id, {len(replies)} company replies)")
    print(f"  corpus/surveys/nps_2026.csv  {na + 2} rows ({na} good + 2 broken; "
          f"{sum(1 for a in answers if a['comment'] == '')} empty comments)")
    print("designed theme mentions (customer voice, all channels):")
    for t in sorted(TALLY, key=lambda k: -TALLY[k]):
        print(f"  {t:13s} {TALLY[t]}")
    print(f"pricing mentions in tickets/reviews/social/surveys before 2026-02-01: {PRICING_SPLIT['before']}, "
          f"after: {PRICING_SPLIT['after']}")
    print("records per (channel, stage):")
    for ch in ("ticket", "review", "social", "survey"):
        print("  " + ch + ": " + ", ".join(f"{s}={STAGE_TALLY.get((ch, s), 0)}" for s in STAGES))
    print(f"records with planted personal data: {PII_COUNT['records']}")
    print(f"customers in 3+ channels: {len(multi)}")
    print("  " + " ".join(multi))
    print(f"customers in all 5 channels: {' '.join(all5)}")
    print(f"hero: {hero.cid} {hero.full} <{hero.email}>")
    print(f"agency pair (2-participant vtt): {agency[0].cid} {agency[0].full}, {agency[1].cid} {agency[1].full}")
    print("broken records:")
    for k in ("B1", "B2", "B3", "B4"):
        ln, row, tid_ = broken_lines[k]
        print(f"  {k} tickets/zendesk_tickets.csv line {ln} (data row {row}, id {tid_})")
    for k in ("B5", "B6", "B7"):
        ln, rid = review_broken[k]
        print(f"  {k} reviews/app_reviews.json object {rid} starting line {ln}")
    for k in ("B8", "B9"):
        ln, sid_ = social_broken[k]
        print(f"  {k} social/mentions.jsonl line {ln} (id {sid_})")
    for k in ("B10", "B11"):
        ln, cid = survey_broken[k]
        print(f"  {k} surveys/nps_2026.csv line {ln} (data row {ln - 1}, {cid})")
    print("anchor quotes:")
    anchors = [
        ("tickets/zendesk_tickets.csv", "This is the third time I'm asking about the double charge on my Pro renewal."),
        ("reviews/app_reviews.json", "Lovely invoices, but bank sync ate three weeks of my transactions"),
        (f"interviews/{[n for n, _ in interview_files if '_' + hero.cid + '_' in n][0]}",
         "I spent two evenings just connecting my bank, and then it forgot Chase existed."),
        ("surveys/nps_2026.csv", "Raised the price, kept the bugs, lost my refund."),
        ("social/mentions.jsonl", "@Ledgerly charged me twice for March and your chat bot sent me an article about dark mode"),
    ]
    for rel, quote in anchors:
        data = (OUT / rel).read_bytes()
        pos = data.find(quote.encode("utf-8"))
        line_no = data.count(b"\n", 0, pos) + 1
        print(f"  {rel} line {line_no}: {quote}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
