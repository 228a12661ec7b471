"""What the public notice and the workbench's draft page share: the GraphQL selection of a
disclosure (the same for both; the API masks what the reader may not see), how a period reads
in Chinese, and the notice as an xlsx workbook, one sheet per section."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.web.templating import period_zh, side_zh
from api.web.xlsx import Column, Sheet, attachment, sheets_bytes

MONEY = "money"

# One disclosure as every page shows it; ``corrects``/``correctedBy`` name the other editions.
DISCLOSURE_FIELDS = """
  id villageCode villageName period periodStart periodEnd edition state
  corrects { id period edition publishedOn }
  correctionReason
  correctedBy { id period edition publishedOn }
  builtAt sealPosition sealSize sealRoot
  incomeAndExpenses { accountCode accountName lineName side amount }
  totalIncome totalExpenses netIncome
  leases {
    assetCode assetName counterparty kind termStart termEnd annualRent received arrears
  }
  landEntries {
    parcelCode contractNo contractSignedOn contractPrice levyAssessed levyPaid membersShare
    retainedShare
  }
  distributions { parcelCode resolution approvedOn paidOn amount membersShare retainedShare }
  meals { elders meals price government collective coPayment }
  review { heldOn approved opinion memberCount members }
  publishedOn
"""


def xlsx_name(d: dict[str, Any]) -> str:
    edition = f"-第{d['edition']}版" if d.get("edition") and d["edition"] > 1 else ""
    return f"村务公开-{d.get('villageName') or d['villageCode']}-{d['period']}{edition}.xlsx"


def notice_sheets(d: dict[str, Any]) -> list[Sheet]:
    """The notice's sections as sheets: the header, 收入支出, 资产出租, 集体经营性建设用地入市,
    收益分配, 老年助餐 (numbers only), 校验."""
    review = d.get("review") or {}
    meals = d.get("meals") or {}
    head: list[list[Any]] = [
        ["村", d.get("villageName") or d["villageCode"]],
        ["村代码", d["villageCode"]],
        ["公开期间", period_zh(d["period"])],
        ["起止日期", f"{d.get('periodStart') or ''} 至 {d.get('periodEnd') or ''}"],
        ["版次", f"第{d['edition']}版"],
        ["公布日期", d.get("publishedOn") or ""],
        ["民主理财小组审核日期", review.get("heldOn") or ""],
        ["参加审核人数", review.get("memberCount") or ""],
        ["审核意见", review.get("opinion") or ""],
        ["更正原因", d.get("correctionReason") or ""],
    ]
    money_lines = [
        [side_zh(line["side"]), line["accountCode"], line["accountName"], line["amount"]]
        for line in d.get("incomeAndExpenses") or []
    ]
    money_lines.append(["收入合计", "", "", d.get("totalIncome")])
    money_lines.append(["支出合计", "", "", d.get("totalExpenses")])
    money_lines.append(["收支相抵", "", "", d.get("netIncome")])
    leases = [
        [x["assetCode"], x["assetName"], x["counterparty"], x["termStart"], x["termEnd"],
         x["annualRent"], x["received"], x["arrears"]]
        for x in d.get("leases") or []
    ]  # fmt: skip
    land = [
        [x["parcelCode"], x["contractNo"], x["contractSignedOn"], x["contractPrice"],
         x["levyAssessed"], x["levyPaid"], x["membersShare"], x["retainedShare"]]
        for x in d.get("landEntries") or []
    ]  # fmt: skip
    shares = [
        [x["parcelCode"], x["resolution"], x["approvedOn"], x["paidOn"], x["amount"],
         x["membersShare"], x["retainedShare"]]
        for x in d.get("distributions") or []
    ]  # fmt: skip
    meal_rows: list[list[Any]] = [
        ["服务老人（人）", meals.get("elders")], ["用餐（份）", meals.get("meals")],
        ["餐费合计（元）", meals.get("price")], ["政府补贴（元）", meals.get("government")],
        ["集体补助（元）", meals.get("collective")], ["个人自付（元）", meals.get("coPayment")],
    ]  # fmt: skip
    seal: list[list[Any]] = [["封存位置", d.get("sealPosition")], ["封存树大小", d.get("sealSize")],
            ["封存根", d.get("sealRoot")],
            ["核验", f"qianwan disclosure verify {d['id']}"]]  # fmt: skip
    return [
        Sheet("村务公开栏", [Column("项目", width=22), Column("内容", width=48)], head),
        Sheet("收入支出", [Column("类别", width=8), Column("科目编码", width=10),
              Column("科目名称", width=24), Column("金额", MONEY, 16)], money_lines),
        Sheet("资产出租", [Column("资产编号", width=12), Column("资产名称", width=20),
              Column("承租方", width=20), Column("起租日", "date", 12),
              Column("到期日", "date", 12), Column("年租金", MONEY, 14),
              Column("本期收取", MONEY, 14), Column("期末欠缴", MONEY, 14)], leases),
        Sheet("集体经营性建设用地入市", [Column("地块编号", width=14), Column("合同编号", width=16),
              Column("签约日", "date", 12), Column("成交价款", MONEY, 16),
              Column("应缴调节金", MONEY, 14), Column("已缴调节金", MONEY, 14),
              Column("成员分配", MONEY, 14), Column("集体留存", MONEY, 14)], land),
        Sheet("收益分配", [Column("地块编号", width=14), Column("决议", width=18),
              Column("批准日", "date", 12),
              Column("发放日", "date", 12), Column("分配金额", MONEY, 16),
              Column("成员分配", MONEY, 14), Column("集体留存", MONEY, 14)], shares),
        Sheet("老年助餐", [Column("项目", width=18), Column("数", width=16)], meal_rows),
        Sheet("校验", [Column("项目", width=12), Column("内容", width=70)], seal),
    ]  # fmt: skip


def notice_xlsx(d: dict[str, Any]) -> Response:
    return attachment(xlsx_name(d), sheets_bytes(notice_sheets(d)))
