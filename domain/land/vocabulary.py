"""The closed vocabularies of land entering the market: the stages of a parcel, planned uses,
land classes, ways of entry, listing methods, winner kinds, payment kinds, adjustment-fund bases.

Which planned uses are *operating* uses is law, not local policy: only land the land-use plan
designates for industrial, commercial or another operating use may enter the market (Land
Administration Law art. 63; docs/rules.md L-01). How long each use may be granted for, and which
uses may go by private agreement, differ by place and date: those are policies, not vocabulary.
Payment channels are shared by every context (domain/shared/values.py).
"""

from __future__ import annotations

from dataclasses import dataclass

# The lifecycle, in its one allowed order (docs/rules.md L-03). Installments are received while
# the parcel is contracted or later; they are not a stage of their own.
STAGES = (
    "registered",
    "planning_conditions_issued",
    "plan_drafted",
    "plan_approved",
    "plan_filed",
    "listed",
    "awarded",
    "contracted",
    "levy_assessed",
    "levy_paid",
    "use_right_registered",
    "distribution_proposed",
    "distribution_approved",
    "distribution_disclosed",
    "distribution_paid",
)

PlannedUse = str  # a key of PLANNED_USES
LandClass = str  # a key of LAND_CLASSES


@dataclass(frozen=True)
class Use:
    """name_zh: as the land-use plan names it. operating: may enter the market (art. 63)."""

    name_zh: str
    operating: bool


PLANNED_USES: dict[PlannedUse, Use] = {
    "industrial": Use("工业用地", True),
    "warehousing": Use("仓储用地", True),
    "commercial": Use("商业用地", True),
    "tourism": Use("旅游用地", True),
    "entertainment": Use("娱乐用地", True),
    # Education, science, culture, health and sports run as a business (民办学校, 养老机构 …).
    "education_science_culture_health_sports": Use("教育、科技、文化、卫生、体育用地", True),
    "infrastructure": Use("经营性基础设施用地", True),
    "public_welfare": Use("经营性公益事业用地", True),
    "comprehensive": Use("综合用地", True),
    "other_operating": Use("其他经营性用地", True),
    # Not operating uses: commodity housing on collective land is forbidden, homesteads are
    # villagers' housing, public administration and farmland are not for sale or rent.
    "residential": Use("住宅用地", False),
    "homestead": Use("宅基地", False),
    "public_administration": Use("机关团体、公共管理用地", False),
    "agricultural": Use("农业用地", False),
}
OPERATING_USES = tuple(code for code, use in PLANNED_USES.items() if use.operating)

# Land classes (地类) as the certificate records them. Only collective construction land that is
# not a homestead may enter the market (docs/rules.md L-01: farmland and homesteads are refused).
LAND_CLASSES: dict[LandClass, str] = {
    "collective_construction_land": "集体建设用地",
    "homestead": "宅基地",
    "farmland": "农用地",
    "unused_land": "未利用地",
}
CONSTRUCTION_LAND_CLASSES = frozenset({"collective_construction_land", "homestead"})
HOMESTEAD = "homestead"  # construction land, but villagers' housing: never enters the market

ENTRY_WAYS = {"grant": "出让", "lease": "出租", "capital_contribution": "作价出资（入股）"}
CAPITAL_CONTRIBUTION = "capital_contribution"  # paid in kind: equity at signing, not cash
LISTING_METHODS = {"tender": "招标", "auction": "拍卖", "listing": "挂牌", "agreement": "协议"}
PRIVATE_AGREEMENT = "agreement"
WINNER_KINDS = ("organization", "person")
# The money behind a parcel's proceeds ledger, as its payments list shows it.
PAYMENT_KINDS = {
    "installment": "part of the contract price received (价款)",
    "levy": "the adjustment fund paid (调节金)",
    "members": "a batch paid to members (成员分配)",
}

# Adjustment-fund bases (土地增值收益调节金, 财税〔2016〕41号): the whole price, or the value added
# (the price less the costs of obtaining and developing the land).
LEVY_BASES = {"gross_price": "成交总价款", "value_added_income": "土地增值收益"}
GROSS_PRICE = "gross_price"  # the base from which no costs are deducted
