"""The lines of 资产负债表 and 收益及收益分配表 and the accounts feeding each, as data
(docs/statements.md; 财会〔2023〕14号 附录 会计报表格式). A line is either fed by accounts or is a
total of other lines; ``sign`` -1 subtracts (减：累计折旧)."""

from __future__ import annotations

from dataclasses import dataclass

# How an account feeds a line: its whole balance, or only the debit (or credit) balances of its
# counterparties (应收款项 takes the debit balances of 112, 应付款项 the credit ones).
WHOLE = "whole"
DEBIT_PARTS = "debit_parts"
CREDIT_PARTS = "credit_parts"
SPLIT_ACCOUNTS = ("112", "113", "211")  # shown gross: debit balances left, credit right


@dataclass(frozen=True)
class Feed:
    account: str
    part: str = WHOLE
    sign: int = 1


@dataclass(frozen=True)
class Line:
    line_no: int
    name_zh: str
    feeds: tuple[Feed, ...] = ()
    total_of: tuple[tuple[int, int], ...] = ()  # (line_no, sign)
    side: str = "debit"  # an asset line reads debit − credit; the others credit − debit

    @property
    def accounts(self) -> tuple[str, ...]:
        return tuple(f.account for f in self.feeds)


def _feeds(*codes: str) -> tuple[Feed, ...]:
    return tuple(Feed(c) for c in codes)


def _sum(*line_nos: int) -> tuple[tuple[int, int], ...]:
    return tuple((n, 1) for n in line_nos)


PL_ACCOUNTS = ("501", "502", "503", "504", "511", "512", "513", "514", "515", "521")

ASSET_LINES: tuple[Line, ...] = (
    Line(1, "货币资金", _feeds("101", "102")),
    Line(2, "短期投资", _feeds("111")),
    Line(
        3,
        "应收款项",
        (Feed("112", DEBIT_PARTS), Feed("113", DEBIT_PARTS), Feed("211", DEBIT_PARTS)),
    ),
    Line(4, "存货", _feeds("121", "401")),
    Line(5, "消耗性生物资产", _feeds("131")),
    Line(10, "流动资产合计", total_of=_sum(1, 2, 3, 4, 5)),
    Line(11, "长期投资", _feeds("141")),
    Line(12, "生产性生物资产原值", _feeds("132")),
    Line(13, "减：生产性生物资产累计折旧", (Feed("133", sign=-1),)),
    Line(14, "生产性生物资产净值", total_of=((12, 1), (13, -1))),
    Line(15, "固定资产原值", _feeds("151")),
    Line(16, "减：累计折旧", (Feed("152", sign=-1),)),
    Line(17, "固定资产净值", total_of=((15, 1), (16, -1))),
    Line(18, "在建工程", _feeds("153")),
    Line(19, "固定资产清理", _feeds("154")),
    Line(20, "无形资产原值", _feeds("161")),
    Line(21, "减：累计摊销", (Feed("162", sign=-1),)),
    Line(22, "无形资产净值", total_of=((20, 1), (21, -1))),
    Line(23, "公益性生物资产", _feeds("134")),
    Line(24, "长期待摊费用", _feeds("171")),
    Line(25, "待处理财产损溢", _feeds("181")),
    Line(30, "非流动资产合计", total_of=_sum(11, 14, 17, 18, 19, 22, 23, 24, 25)),
    Line(31, "资产总计", total_of=_sum(10, 30)),
)

LIABILITY_LINES: tuple[Line, ...] = tuple(
    Line(n, name, feeds, total, side="credit")
    for n, name, feeds, total in (
        (32, "短期借款", _feeds("201"), ()),
        (
            33,
            "应付款项",
            (Feed("211", CREDIT_PARTS), Feed("113", CREDIT_PARTS), Feed("112", CREDIT_PARTS)),
            (),
        ),
        (34, "应付工资", _feeds("212"), ()),
        (35, "应付劳务费", _feeds("213"), ()),
        (36, "应交税费", _feeds("214"), ()),
        (40, "流动负债合计", (), _sum(32, 33, 34, 35, 36)),
        (41, "长期借款及应付款", _feeds("221"), ()),
        (42, "一事一议资金", _feeds("231"), ()),
        (43, "专项应付款", _feeds("241"), ()),
        (45, "非流动负债合计", (), _sum(41, 42, 43)),
        (46, "负债合计", (), _sum(40, 45)),
        (47, "资本", _feeds("301"), ()),
        (48, "公积公益金", _feeds("311"), ()),
        # 321 and 322, and the profit-and-loss accounts not yet closed to 321 (F-03).
        (49, "未分配收益", _feeds("321", "322", *PL_ACCOUNTS), ()),
        (50, "所有者权益合计", (), _sum(47, 48, 49)),
        (51, "负债和所有者权益总计", (), _sum(46, 50)),
    )
)

TOTAL_ASSETS_LINE = 31
TOTAL_LIABILITIES_AND_EQUITY_LINE = 51

# 收益及收益分配表, the result part: (line_no, name, account or None, sign, total_of).
INCOME_LINES: tuple[Line, ...] = (
    Line(1, "一、经营收入", _feeds("501"), side="credit"),
    Line(2, "加：投资收益", _feeds("502"), side="credit"),
    Line(3, "减：经营支出", _feeds("511")),
    Line(4, "税金及附加", _feeds("512")),
    Line(5, "管理费用", _feeds("513")),
    Line(6, "二、经营收益", total_of=((1, 1), (2, 1), (3, -1), (4, -1), (5, -1))),
    Line(7, "加：补助收入", _feeds("503"), side="credit"),
    Line(8, "其他收入", _feeds("504"), side="credit"),
    Line(9, "减：公益支出", _feeds("514")),
    Line(10, "其他支出", _feeds("515")),
    Line(11, "三、收益总额", total_of=((6, 1), (7, 1), (8, 1), (9, -1), (10, -1))),
    Line(12, "减：所得税费用", _feeds("521")),
    Line(13, "四、本年收益", total_of=((11, 1), (12, -1))),
)
NET_INCOME_LINE = 13

# The distribution part (year figures only), computed in sheets.py from 321 and 322.
DISTRIBUTION_NAMES: tuple[tuple[int, str], ...] = (
    (13, "四、本年收益"),
    (14, "加：年初未分配收益"),
    (15, "其他转入"),
    (16, "五、可分配收益"),
    (17, "减：各项分配"),
    (18, "六、年末未分配收益"),
)
