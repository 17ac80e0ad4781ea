"""A platform's month of reviews, shop traffic and prices for the demo lake, with planted cases.

Reviews: about half the buyers review their order one to eight days later, rating around the
shop's quality in a few stock phrases. Planted review ring (the cast's `review_ring` shops):
fifteen accounts that bought nothing each review every ring shop within a three-day campaign per
shop, five stars, in small edits of the same scripts; each also reviews one other shop ("好评")
as camouflage.

Traffic: the hourly visits, clicks, orders and buyers of a few shops, following the day's rhythm.
Planted bot burst (`bot_traffic`): two night hours with forty times the shop's visits and no
order.

Prices: the items of a few shops, listed every three days at their list price, sold about once a
day (one sale in twenty with a 10 % coupon), each in one three-day promotion between days 12 and
22 whose reference price is the lowest sale of the seven days before it (the lawful base of
《规范促销行为暂行规定》 Art. 21). Planted fake discount (`fake_discount`): the shop's first item
is promoted "from" one and a half times its list price, above every sale of the week before.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import numpy as np

from ecredit.demo.lake_orders import Row, iso, items, money
from ecredit.demo.lake_plan import Month, PlatformCast

REVIEW_SHARE = 0.5
STOCK_PHRASES = (
    "好评", "很好", "物流很快", "包装完好", "质量不错", "性价比高", "和描述一致", "客服态度好",
    "下次还来", "一般般", "有点小贵", "尺码偏小", "颜色正", "做工精细", "孩子很喜欢", "有色差",
)  # fmt: skip
SCRIPTS = ("亲测有效强烈推荐", "老板人超好必须五星", "宝贝收到了惊艳到我了", "全网最低价闭眼入",
           "质量杠杠的物超所值", "发货神速包装精美")  # fmt: skip
RING_ACCOUNTS = 15
RING_FIRST_DAY = 14
TRAFFIC_SHOPS = 4
# Visits by hour of the day in Beijing: quiet nights, an evening peak.
DIURNAL = np.array([0.5, 0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.6, 0.9, 1.1, 1.2, 1.2,
                    1.1, 1.1, 1.2, 1.2, 1.1, 1.1, 1.2, 1.4, 1.6, 1.6, 1.3, 0.9])  # fmt: skip
BOT_HOURS = slice(22 * 24 + 3, 22 * 24 + 5)  # day 22, 03:00–05:00
PRICED_SHOPS = 6
PROMOTION_DAYS = 3


def month_reviews(cast: PlatformCast, month: Month, seed: int, orders: list[Row]) -> list[Row]:
    """Reviews of the platform's orders, then the ring's, numbered in review time."""
    rng = random.Random(f"demo-lake-reviews-{seed}-{cast.number}")
    quality = {shop: rng.uniform(3.2, 4.8) for shop in cast.shops}
    found: list[tuple[datetime, Row]] = []
    for order in orders:
        if rng.random() >= REVIEW_SHARE:
            continue
        at = datetime.fromisoformat(order["order_time"]) + timedelta(days=rng.uniform(1, 8))
        rating = min(5, max(1, round(rng.gauss(quality[order["shop_id"]], 1.0))))
        text = "，".join(rng.sample(STOCK_PHRASES, rng.randrange(1, 4)))
        found.append((at, _review(order["buyer_id"], order["shop_id"], order["item_id"],
                                  rating, text, order["order_id"])))  # fmt: skip
    found += _ring(cast, month, seed, rng)
    kept = sorted((pair for pair in found if pair[0] < month.end), key=lambda pair: pair[0])
    return [
        {"review_id": f"PJ{cast.number}{n:07d}", **row, "review_time": iso(at)}
        for n, (at, row) in enumerate(kept, start=1)
    ]


def _review(reviewer: str, shop: str, item: str | None, rating: int, text: str,
            order_id: str | None) -> Row:  # fmt: skip
    return {"reviewer_id": reviewer, "shop_id": shop, "product_id": item, "rating": rating,
            "text": text, "order_id": order_id}  # fmt: skip


def _ring(
    cast: PlatformCast, month: Month, seed: int, rng: random.Random
) -> list[tuple[datetime, Row]]:
    """Every ring account reviews every ring shop in its campaign, and one other shop."""
    if not cast.review_ring:
        return []
    accounts = [f"U{800_001 + n:06d}" for n in range(RING_ACCOUNTS)]
    others = [shop for shop in cast.shops if shop not in cast.review_ring]
    camouflage = rng.sample(others, min(len(others), RING_ACCOUNTS))
    found = []
    for index, shop in enumerate(cast.review_ring):
        campaign = month.at(RING_FIRST_DAY + 2 * index, 9)
        item = items(seed, shop)[0][0]
        for account in accounts:
            at = campaign + timedelta(hours=rng.uniform(0, 72))
            found.append((at, _review(account, shop, item, 5, _scripted(rng), None)))
    for account, shop in zip(accounts, camouflage, strict=False):
        at = month.at(rng.randrange(month.days), rng.uniform(8, 22))
        found.append((at, _review(account, shop, None, 5, "好评", None)))
    return found


def _scripted(rng: random.Random) -> str:
    """Four of the scripts, one swapped for a stock phrase: near-duplicates, not copies."""
    words = rng.sample(SCRIPTS, 4)
    words[rng.randrange(4)] = rng.choice(STOCK_PHRASES)
    return "，".join(words)


def month_traffic(cast: PlatformCast, month: Month, seed: int) -> list[Row]:
    """Hourly traffic of the first few shops (the bot burst's among them)."""
    rng = np.random.default_rng([seed, cast.number, 7])
    hours = month.days * 24
    rows = []
    for shop in _first(cast.bot_traffic, cast.shops)[:TRAFFIC_SHOPS]:
        base, conversion = rng.lognormal(np.log(40), 0.5), rng.uniform(0.02, 0.05)
        visits = rng.poisson(base * np.resize(DIURNAL, hours))
        bots = shop == cast.bot_traffic
        if bots:
            visits[BOT_HOURS] = int(base * 40) + 300
        orders = rng.binomial(visits, conversion)
        if bots:
            orders[BOT_HOURS] = 0
        clicks = rng.poisson(visits * 1.5)
        buyers = orders - rng.binomial(orders, 0.05)
        for hour in range(hours):
            rows.append({"shop_id": shop, "hour": iso(month.at(0, hour)),
                         "visits": int(visits[hour]), "clicks": int(clicks[hour]),
                         "orders": int(orders[hour]), "buyers": int(buyers[hour])})  # fmt: skip
    return rows


def _first(shop: str | None, shops: tuple[str, ...]) -> list[str]:
    """The cast's shops, `shop` (when there is one) first."""
    return list(dict.fromkeys([*([shop] if shop else []), *shops]))


def month_prices(cast: PlatformCast, month: Month, seed: int) -> list[Row]:
    """Listed prices, sales and one promotion per item of the first few shops."""
    rng = random.Random(f"demo-lake-prices-{seed}-{cast.number}")
    rows: list[Row] = []
    for shop in _first(cast.fake_discount, cast.shops)[:PRICED_SHOPS]:
        for index, (item, cents) in enumerate(items(seed, shop)):
            fake = shop == cast.fake_discount and index == 0
            rows += _item_prices(rng, month, shop, item, cents, fake)
    return rows


def _item_prices(rng: random.Random, month: Month, shop: str, item: str, cents: int,
                 fake: bool) -> list[Row]:  # fmt: skip
    start = month.at(rng.randrange(12, 22), rng.uniform(9, 11))
    sales = [
        (month.at(day, rng.uniform(8, 23)), cents * 9 // 10 if rng.random() < 0.05 else cents)
        for day in range(month.days)
        if fake or rng.random() < 0.9  # the fake one sold every day: its base is known
    ]
    before = [price for at, price in sales if start - timedelta(days=7) <= at < start]
    earlier = [price for at, price in sales if at < start]
    base = min(before) if before else (earlier[-1] if earlier else cents)
    reference = cents * 3 // 2 if fake else base
    promotion = cents * 19 // 20 if fake else reference * 4 // 5
    promoted, tag = start + timedelta(days=PROMOTION_DAYS), f"{item}-CX"
    listed = range(0, month.days, 3)
    rows = [_price(shop, item, month.at(day, 8), cents, "listed") for day in listed]
    rows += [
        _price(shop, item, at, promotion if start <= at < promoted else price, "transaction")
        for at, price in sales
    ]
    rows += [
        _price(shop, item, start + timedelta(days=day), promotion, "promotion", reference, tag)
        for day in range(PROMOTION_DAYS)
    ]
    return rows


def _price(shop: str, item: str, at: datetime, cents: int, kind: str,
           reference: int | None = None, promotion_id: str | None = None) -> Row:  # fmt: skip
    return {"shop_id": shop, "product_id": item, "observed_at": iso(at), "price": money(cents),
            "kind": kind, "promotion_id": promotion_id,
            "reference_price": money(reference) if reference is not None else None}  # fmt: skip
