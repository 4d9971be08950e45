"""Make the example event log and survey export for tv-purchase.journey.yaml, deterministically.

    python examples/data/generate.py          # rewrites tv-events.csv and tv-answers.csv here

Seeded: the same files every time, so the committed copies can be checked against it (a test
does). 400 shoppers over October 2026 walk the TV journey with plausible odds: most see the ad
and open the sale page, most of those compare models, half of those go to a store, and so on,
in the map's order; some go from the sale page straight to a store a day later (a path the map
does not have). Some answer the post-chat and delivery surveys.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261001
USERS = 400
START = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
# (event name, extra properties) per step, as the map's `events` say.
EVENT = {
    "sees-ad": ("ad_click", {"campaign": "tv-sale"}),
    "opens-sale-page": ("page_view", {"path": "/sale/tvs"}),
    "sets-price-alert": ("price_alert_set", {}),
    "compares-models": ("compare_view", {}),
    "reads-reviews": ("review_read", {}),
    "asks-in-chat": ("chat_started", {}),
    "visits-store": ("store_checkin", {}),
    "talks-to-salesperson": ("salesperson_assist", {}),
    "pays-at-till": ("pos_purchase", {}),
    "arranges-delivery": ("delivery_booked", {}),
    "gets-confirmation": ("order_confirmation_sent", {}),
    "tv-delivered": ("delivery_completed", {}),
    "sets-up-tv": ("setup_guide_opened", {}),
    "calls-support": ("support_call", {}),
    "gets-care-email": ("email_opened", {"template": "tv-care"}),
    "writes-review": ("review_posted", {}),
    "shares-on-social": ("social_share", {}),
    "refers-friend": ("referral_sent", {}),
}
# The map's steps in file order, the odds of going on to each, and minutes until it (low, high).
WALK = [
    ("sees-ad", 1.0, (0, 0)),
    ("opens-sale-page", 0.8, (0, 2)),
    ("sets-price-alert", 0.9, (1, 3)),
    ("compares-models", 0.75, (30, 2000)),
    ("reads-reviews", 0.9, (2, 30)),
    ("asks-in-chat", 0.85, (1, 20)),
    ("visits-store", 0.5, (600, 4000)),
    ("talks-to-salesperson", 0.9, (2, 20)),
    ("pays-at-till", 0.7, (5, 40)),
    ("arranges-delivery", 0.95, (1, 10)),
    ("gets-confirmation", 0.98, (0, 2)),
    ("tv-delivered", 0.97, (1400, 4300)),
    ("sets-up-tv", 0.9, (10, 120)),
    ("gets-care-email", 1.0, (4000, 4400)),  # calls-support comes before it for a few
    ("writes-review", 0.4, (1440, 10000)),
    ("shares-on-social", 0.5, (1, 10)),
    ("refers-friend", 0.4, (60, 3000)),
]
FORMAT = "%Y-%m-%dT%H:%M:%SZ"
NOISE = ["page_view", "search", "add_to_wishlist"]


def simulate(rng: random.Random) -> tuple[list[list[str]], list[list[str]]]:
    events: list[list[str]] = []
    answers: list[list[str]] = []

    def emit(user: str, step: str, at: dt.datetime, device: str) -> None:
        name, props = EVENT[step]
        stamp = at.strftime(FORMAT)
        events.append(
            [
                user,
                name,
                stamp,
                props.get("path", ""),
                props.get("campaign", ""),
                props.get("template", ""),
                device,
            ]
        )

    for n in range(USERS):
        user = f"c{n:04d}"
        device = rng.choice(["mobile", "mobile", "desktop"])
        at = START + dt.timedelta(minutes=rng.randrange(0, 20 * 24 * 60))
        for index, (step, odds, (low, high)) in enumerate(WALK):
            if index and rng.random() > odds:
                if step == "sets-price-alert" and rng.random() < 0.8:
                    # Straight from the sale page to a store a day later: not on the map.
                    emit(user, "visits-store", at + dt.timedelta(days=1), device)
                break
            at += dt.timedelta(minutes=rng.randint(low, high))
            if step == "gets-care-email" and rng.random() < 0.15:
                emit(user, "calls-support", at - dt.timedelta(days=2), device)
            emit(user, step, at, device)
            if step == "asks-in-chat" and rng.random() < 0.6:
                score = rng.choice([5, 5, 4, 4, 4, 3, 2])
                when = at + dt.timedelta(minutes=8)
                answers.append([user, "chat_csat", str(score), when.strftime(FORMAT)])
            if step == "tv-delivered" and rng.random() < 0.7:
                # Deliveries are mapped as a delight (+2); the answers say otherwise.
                score = rng.choice([5, 4, 3, 3, 2, 2, 1])
                when = at + dt.timedelta(hours=2)
                answers.append([user, "delivery_csat", str(score), when.strftime(FORMAT)])
        for _ in range(rng.randrange(0, 3)):
            noise = START + dt.timedelta(minutes=rng.randrange(0, 30 * 24 * 60))
            events.append([user, rng.choice(NOISE), noise.strftime(FORMAT), "/", "", "", device])
    events.sort(key=lambda row: (row[2], row[0], row[1]))
    answers.sort(key=lambda row: (row[3], row[0]))
    return events, answers


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(folder: Path = HERE) -> None:
    events, answers = simulate(random.Random(SEED))
    write(
        folder / "tv-events.csv",
        ["user_id", "event_name", "ts", "path", "campaign", "template", "device"],
        events,
    )
    write(folder / "tv-answers.csv", ["user_id", "survey", "score", "ts"], answers)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
