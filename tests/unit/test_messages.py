"""Every error code the registry can answer with has a Chinese message (api/web/messages/).

The codes are collected, not listed: every ``DomainError`` subclass (every module of domain/,
api/ and scripts/ imported), every ``CommandFailed`` of the command line, the reason codes of a
refused meal, and the codes the api/ and scripts/ source hands to ``request_error``,
``coded_error``, ``coded``, ``Refusal``, ``failed``, an ``{"code": ...}`` dict or a
``setdefault("code", ...)`` / ``[...]["code"] = ...`` (GraphQL ``extensions``), or an
``error: [code]`` line; a constant is followed to the module that defines it. A new code
without a message fails here, and so does a message whose code no longer exists.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

from api.web.messages import MESSAGES, message_zh
from domain.meals.errors import MEAL_REFUSAL_REASONS
from domain.shared.errors import DomainError
from scripts.common import CommandFailed

ROOT = Path(__file__).resolve().parents[2]
IMPORTED = ("domain", "api", "scripts")
SCANNED = ("api", "scripts")
# call name -> index of the positional argument that is the code
CODE_ARGUMENT = {
    "request_error": 1,
    "coded_error": 1,
    "coded": 1,
    "Refusal": 0,
    "failed": 0,
    "PageError": 1,  # the workbench's pages (api/web/pages.py)
    "error_page": 2,
    "message_zh": 0,  # a code shown by the workbench without a refusal object
}
ERROR_LINE = re.compile(r"error: \[\{?([A-Za-z_][A-Za-z_0-9]*)\}?\]")
CJK = re.compile(r"[\u4e00-\u9fff]")


def import_everything() -> None:
    for package in IMPORTED:
        root = importlib.import_module(package)
        for found in pkgutil.walk_packages(root.__path__, f"{package}."):
            importlib.import_module(found.name)


def subclass_codes(base: type) -> set[str]:
    codes: set[str] = set()
    pending = [base]
    while pending:
        cls = pending.pop()
        codes.add(cls.__dict__.get("code", base.__dict__["code"]))
        pending.extend(cls.__subclasses__())
    return codes


def module_constants(tree: ast.Module) -> dict[str, str]:
    """A module's own ``NAME = "text"`` assignments."""
    found: dict[str, str] = {}
    for node in tree.body:
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        text = value.value if isinstance(value, ast.Constant) else None
        if isinstance(target, ast.Name) and isinstance(text, str):
            found[target.id] = text
    return found


def constants_in_scope(tree: ast.Module) -> dict[str, str]:
    """The module's string constants and those it imports by name from the code base."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            path = ROOT / Path(*node.module.split("."))
            source = path.with_suffix(".py") if path.with_suffix(".py").exists() else None
            source = source or (path / "__init__.py" if path.is_dir() else None)
            if source is None:
                continue  # a third-party module
            theirs = module_constants(ast.parse(source.read_text(encoding="utf-8")))
            for alias in node.names:
                if alias.name in theirs:
                    found[alias.asname or alias.name] = theirs[alias.name]
    return found | module_constants(tree)


def code_values(node: ast.expr, constants: dict[str, str]) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Name) and node.id in constants:
        return {constants[node.id]}
    return set()  # a parameter or an attribute such as ``error.code``: counted where it is made


def call_codes(node: ast.Call, constants: dict[str, str]) -> set[str]:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    args = node.args
    if name == "setdefault" and len(args) == 2 and code_values(args[0], {}) == {"code"}:
        return code_values(args[1], constants)
    index = CODE_ARGUMENT.get(name)
    if index is None:
        return set()
    codes = code_values(args[index], constants) if len(args) > index else set()
    for keyword in node.keywords:
        if keyword.arg == "code":
            codes |= code_values(keyword.value, constants)
    return codes


def node_codes(node: ast.AST, constants: dict[str, str]) -> set[str]:
    if isinstance(node, ast.Call):
        return call_codes(node, constants)
    if isinstance(node, ast.Assign):  # extensions["code"] = CODE
        keys = [t.slice for t in node.targets if isinstance(t, ast.Subscript)]
        if any(code_values(key, {}) == {"code"} for key in keys):
            return code_values(node.value, constants)
    if isinstance(node, ast.Dict):
        values = [v for k, v in zip(node.keys, node.values, strict=True) if k is not None]
        keys = [k for k in node.keys if k is not None]
        return {
            code
            for key, value in zip(keys, values, strict=True)
            if code_values(key, {}) == {"code"}
            for code in code_values(value, constants)
        }
    return set()


def source_codes() -> set[str]:
    codes: set[str] = set()
    for package in SCANNED:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            tree = ast.parse(text)
            constants = constants_in_scope(tree)
            for name in ERROR_LINE.findall(text):
                codes |= {constants[name]} if name in constants else set()
            for node in ast.walk(tree):
                codes |= node_codes(node, constants)
    return codes


def every_code() -> set[str]:
    import_everything()
    codes = subclass_codes(DomainError) | subclass_codes(CommandFailed)
    return codes | set(MEAL_REFUSAL_REASONS) | source_codes()


CODES = every_code()


def test_the_collection_finds_codes_of_every_source() -> None:
    # one of each kind, so a collector that stops working fails here and not silently
    expected = {
        "lease_term_exceeds_20_years",  # a DomainError subclass
        "page_size_out_of_range",  # a DomainError subclass in api/
        "arguments_invalid",  # a CommandFailed
        "second_meal_in_slot",  # a refused meal's reason
        "body_not_json",  # request_error(..., "literal")
        "graphql_parse_failed",  # Refusal(CONSTANT, ...)
        "query_too_complex",  # Refusal("literal", ...)
        "FORBIDDEN",  # GraphQLError(extensions={"code": CONSTANT})
        "internal_error",  # coded_error(500, "internal_error", ...)
        "read_models_behind",  # {"code": CONSTANT} of a warning
        "trial_balance_unbalanced",  # error: [{CONSTANT}]
    }
    assert expected <= CODES
    assert len(CODES) > 200


def test_every_code_has_a_chinese_message() -> None:
    missing = sorted(CODES - set(MESSAGES))
    assert missing == [], f"codes without a Chinese message in api/web/messages/: {missing}"


def test_no_message_for_a_code_that_no_longer_exists() -> None:
    stale = sorted(set(MESSAGES) - CODES)
    assert stale == [], f"messages of codes that no longer exist: {stale}"


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_each_message_is_chinese_and_not_empty(code: str) -> None:
    message = MESSAGES[code]
    assert message.strip() == message and message
    assert CJK.search(message), f"{code}: no Chinese in {message!r}"
    assert message.endswith(("。", "）", "！")), f"{code}: not a sentence: {message!r}"


def test_message_zh_of_a_known_code() -> None:
    assert message_zh("lease_term_exceeds_20_years") == MESSAGES["lease_term_exceeds_20_years"]
    assert "20年" in message_zh("lease_term_exceeds_20_years", "a lease may not exceed 20 years")
    assert "民法典" in message_zh("lease_term_exceeds_20_years")


def test_message_zh_of_an_unknown_code_shows_the_code_and_no_english() -> None:
    english = "something went wrong in English"
    shown = message_zh("no_such_code_at_all", english)
    assert shown == "操作未完成（代码：no_such_code_at_all）"
    assert "English" not in shown


@pytest.mark.parametrize("code", ["", "a" * 10_000_000, "x\x00y", "\ud800", "\u202edrow"])
def test_message_zh_of_hostile_codes_is_the_generic_message(code: str) -> None:
    shown = message_zh(code, "English")
    assert shown.startswith("操作未完成")
    assert len(shown) < 200
    assert "\x00" not in shown and "\ud800" not in shown and "\u202e" not in shown


def test_the_figures_in_messages_are_the_registry_s() -> None:
    from api.pagination import MAX_PAGE_SIZE
    from domain.assets.rules import LEASE_TERM_YEARS_MAX
    from domain.books.vocabulary import ATTACHMENTS_MAX, VOUCHER_LINES_MAX

    assert f"{LEASE_TERM_YEARS_MAX}年" in MESSAGES["lease_term_exceeds_20_years"]
    assert f"最多{VOUCHER_LINES_MAX}行" in MESSAGES["voucher_lines_too_many"]
    assert f"0到{ATTACHMENTS_MAX}之间" in MESSAGES["attachments_out_of_range"]
    assert f"0到{MAX_PAGE_SIZE}之间" in MESSAGES["page_size_out_of_range"]


def test_a_code_with_a_message_in_two_modules_is_refused() -> None:
    from api.web.messages import merged
    from api.web.messages.table import table

    with pytest.raises(ValueError, match="two messages"):
        merged({"a": "甲。"}, {"a": "乙。"})
    with pytest.raises(ValueError, match="two messages"):
        table("a=甲。\na=乙。")
    with pytest.raises(ValueError, match="code=消息"):
        table("a = 甲。")


@pytest.mark.parametrize(
    "source",
    [
        'request_error("too many", "brand_new_code", 429)',
        'coded_error(503, NEW, "down")',
        'raise GraphQLError("no", extensions={"code": NEW})',
        'Refusal(code="brand_new_code", message="no")',
        'error.setdefault("extensions", {}).setdefault("code", NEW)',
        'error["extensions"]["code"] = NEW',
    ],
)
def test_a_new_code_in_the_api_source_is_collected(source: str) -> None:
    tree = ast.parse(f'NEW = "brand_new_code"\n{source}\n')
    constants = constants_in_scope(tree)
    found = set().union(*(node_codes(node, constants) for node in ast.walk(tree)))
    assert found == {"brand_new_code"}
    assert "brand_new_code" not in MESSAGES
