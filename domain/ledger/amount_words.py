"""大写金额: an amount in yuan in the capital numerals of a printed voucher or receipt
(docs/statements.md, "大写金额")."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
BIG_UNITS = ("", "万", "亿", "万亿")
AMOUNT_WORDS_YUAN_MAX = Decimal("9999999999999999.99")  # sixteen digits of yuan: 万亿 groups


def _group(number: int) -> str:
    """0 < number < 10000, in capitals with 零 for each run of inner zeros, none trailing."""
    text = ""
    zero = False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + SMALL_UNITS[position]
    return text


def _yuan(number: int) -> str:
    if number == 0:
        return ""
    groups: list[int] = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    text = ""
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(text)
            continue
        if text and (need_zero or group < 1000):
            text += "零"
        text += _group(group) + BIG_UNITS[index]
        need_zero = False
    return text


def amount_in_words(amount: Decimal) -> str:
    """壹万贰仟叁佰肆拾伍元陆角柒分; 整 after 元 or 角 when nothing follows; 零元整 for zero;
    负 before a negative amount. Rounded to the fen; at most AMOUNT_WORDS_YUAN_MAX."""
    fen_total = int(abs(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)
    if fen_total > int(AMOUNT_WORDS_YUAN_MAX * 100):
        raise ValueError(f"{amount} is beyond {AMOUNT_WORDS_YUAN_MAX}")
    sign = "负" if amount < 0 and fen_total else ""
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if fen_total == 0:
        return "零元整"
    text = _yuan(yuan) + ("元" if yuan else "")
    if jiao == 0 and fen == 0:
        return sign + text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return sign + text
