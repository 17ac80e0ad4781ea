"""Plausible Benxi people, places, firms and phone numbers, drawn from a seeded random source.

Everything here is a pure function of the `random.Random` passed in, so a seed gives the same
city every time. Identifiers (USCC, resident ID numbers) live in `demo.codes`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    """A county-level division of Benxi: its area code, registered name and a few streets."""

    code: str
    name: str  # as written in addresses and individual businesses' names
    firm_prefixes: tuple[str, ...]  # how enterprises registered there begin their names
    streets: tuple[str, ...]
    birth_years: tuple[int, int]  # years for which stdnum knows the area code


CITY_CODE = "210500"
DISTRICTS: tuple[District, ...] = (
    District("210502", "本溪市平山区", ("本溪", "本溪市", "本溪市平山区"),
             ("胜利路", "解放北路", "站前街", "永丰街", "平山路", "北台街"), (1984, 2002)),
    District("210503", "本溪市溪湖区", ("本溪", "本溪市溪湖区"),
             ("河沿街", "溪湖路", "东兴街", "彩屯路", "石桥子街", "日月岛路"), (1984, 2002)),
    District("210504", "本溪市明山区", ("本溪", "本溪市明山区"),
             ("明山路", "新明路", "金山街", "高峪路", "卧龙街", "牛心台路"), (1985, 2002)),
    District("210505", "本溪市南芬区", ("本溪市南芬区",),
             ("南芬路", "铁山街", "思山岭路", "下马塘街"), (1985, 2002)),
    District("210521", "本溪满族自治县", ("本溪满族自治县", "本溪县"),
             ("小市镇中心街", "草河口镇兴业路", "田师付镇站前路", "清河城镇新街"), (1960, 2002)),
    District("210522", "桓仁满族自治县", ("桓仁满族自治县", "桓仁"),
             ("桓仁镇向阳街", "桓仁镇五女山路", "二棚甸子镇参园路", "华来镇冰酒路"), (1960, 2002)),
)  # fmt: skip
# Where the city's merchants are: most in the three urban districts.
DISTRICT_WEIGHTS = (32, 20, 22, 6, 10, 10)

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾"
    "丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟万段钱汤尹"
    "关佟那富肖常武乔贺付鲍于隋"
)
# The commonest surnames carry most of the population; the rest share a tail.
SURNAME_WEIGHTS = tuple(max(40 - i, 4) for i in range(len(SURNAMES)))
MALE_GIVEN = "伟刚勇军杰涛明辉强磊鹏斌超波宇浩亮峰健志国建文华东海龙飞成林春雷洪新凯德江"
FEMALE_GIVEN = "芳娜敏静丽艳娟霞秀英玲红梅燕萍琳雪莉婷慧颖倩洁佳琪璐丹妍晶薇岚月欣悦蕾"

BRAND_CHARS = (
    "鑫源盛达华宏泰恒瑞丰兴隆昌顺祥福康安嘉佳润博凯德宇诚信和美"
    "金天海川林森东辽溪枫绿青云龙旭晟昊铭誉百鼎聚汇"
)
TRADES = (
    "山特产品", "冰酒", "参茸", "中药材", "食品", "农产品", "蜂业", "林蛙", "土特产", "服饰",
    "电器", "家居", "建材", "日用百货", "母婴用品", "茶叶", "酒业", "数码", "文化传媒", "五金",
)  # fmt: skip
FIRM_SUFFIXES = ("有限公司", "商贸有限公司", "电子商务有限公司", "贸易有限公司", "科技有限公司")
FIRM_SUFFIX_WEIGHTS = (30, 25, 25, 10, 10)
BUSINESS_SUFFIXES = (
    "商行", "经营部", "商店", "便利店", "土特产店", "山货店", "食品店", "日杂店", "服装店",
)  # fmt: skip
SHOP_SUFFIXES = ("旗舰店", "专营店", "官方店", "企业店", "直营店", "特产馆")
PERSON_SHOP_GOODS = ("山货", "特产", "小铺", "杂货", "服饰", "蜂蜜", "山珍", "好物")
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "176", "177", "180", "181", "182", "186", "187", "188", "189",
    "198", "199",
)  # fmt: skip


@dataclass(frozen=True)
class Person:
    name: str
    male: bool


def person(rng: random.Random) -> Person:
    """A Chinese personal name: a surname and one or two given characters."""
    male = rng.random() < 0.55
    surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
    pool = MALE_GIVEN if male else FEMALE_GIVEN
    given = "".join(rng.choice(pool) for _ in range(1 if rng.random() < 0.35 else 2))
    return Person(surname + given, male)


def district(rng: random.Random) -> District:
    return rng.choices(DISTRICTS, weights=DISTRICT_WEIGHTS)[0]


def phone(rng: random.Random) -> str:
    """An 11-digit mainland mobile number (1[3-9]…)."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def address(rng: random.Random, where: District) -> str:
    number = rng.randint(1, 399)
    extra = rng.choice(
        ("", "", "", f"{rng.randint(1, 12)}-{rng.randint(1, 6)}-{rng.randint(1, 3)}")
    )
    street = rng.choice(where.streets)
    return f"辽宁省本溪市{where.name.removeprefix('本溪市')}{street}{number}号{extra}"


def brand(rng: random.Random) -> str:
    """A two-character trade name such as 鑫源 or 瑞丰."""
    first, second = rng.sample(BRAND_CHARS, 2)
    return first + second


def enterprise_name(rng: random.Random, where: District, trade_name: str) -> str:
    prefix = rng.choice(where.firm_prefixes)
    suffix = rng.choices(FIRM_SUFFIXES, weights=FIRM_SUFFIX_WEIGHTS)[0]
    return f"{prefix}{trade_name}{rng.choice(TRADES)}{suffix}"


def business_name(rng: random.Random, where: District, trade_name: str) -> str:
    return f"{where.name}{trade_name}{rng.choice(BUSINESS_SUFFIXES)}"


def shop_name(rng: random.Random, trade_name: str) -> str:
    return f"{trade_name}{rng.choice(SHOP_SUFFIXES)}"


def person_shop_name(rng: random.Random, who: Person) -> str:
    """Only the surname: the shop name is public, the person's full name is personal data."""
    return f"{who.name[0]}记{rng.choice(PERSON_SHOP_GOODS)}"
