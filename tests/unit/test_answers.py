"""The answers kept by the projections' positions (api/answers.py): bounded, least recently
used first out, and only for queries of the read models."""

from __future__ import annotations

import threading

from graphql import OperationDefinitionNode, parse

from api.answers import Answer, AnswerCache, cacheable, question, scope_of
from api.auth.principal import Principal
from domain.access.roles import Role


def answer(size: int) -> Answer:
    return Answer({"data": {}}, b"x" * size)


def operation(document: str) -> OperationDefinitionNode:
    found = parse(document).definitions[0]
    assert isinstance(found, OperationDefinitionNode)
    return found


def test_the_least_recently_used_answer_goes_first_past_the_cap() -> None:
    cache = AnswerCache(max_answers=2)
    cache.put("a", answer(1))
    cache.put("b", answer(1))
    assert cache.get("a") is not None  # b is now the least recently used
    cache.put("c", answer(1))
    assert cache.get("b") is None and len(cache) == 2


def test_answers_are_bounded_by_their_bytes_too() -> None:
    cache = AnswerCache(max_answers=100, max_bytes=10)
    for key in "abc":
        cache.put(key, answer(4))
    assert len(cache) == 2 and cache.get("a") is None
    cache.put("big", answer(11))
    assert cache.get("big") is None


def test_many_threads_share_one_cache() -> None:
    cache = AnswerCache(max_answers=50)

    def work(n: int) -> None:
        for i in range(200):
            cache.put((n, i % 60), answer(1))
            cache.get((n, (i * 7) % 60))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 50


def test_only_queries_of_the_read_models_are_kept() -> None:
    assert cacheable(operation('{ trialBalance(villageCode: "1") { totalDebit } }'))
    assert cacheable(
        operation(
            '{ a: dashboard(placeCode: "1", fromMonth: "x", toMonth: "y") '
            "{ placeName } __typename }"
        )
    )
    assert not cacheable(operation('{ history(aggregateId: "x") { version } }'))
    assert not cacheable(operation("{ apiTokens { edges { node { name } } } }"))
    assert not cacheable(operation("{ ... on Query { towns { totalCount } } }"))
    assert not cacheable(operation('mutation { revokeApiToken(tokenId: "x") { errors { code } } }'))


def test_the_same_variables_in_another_order_are_the_same_question() -> None:
    assert question("q", None, {"a": 1, "b": 2}) == question("q", None, {"b": 2, "a": 1})
    assert question("q", None, {"a": 1}) != question("q", None, {"a": 2})


def test_the_scope_is_the_role_and_the_villages() -> None:
    one = Principal("t1", Role.ACCOUNTANT, "a", frozenset({"2", "1"}))
    same = Principal("t2", Role.ACCOUNTANT, "b", frozenset({"1", "2"}))
    other = Principal("t3", Role.ACCOUNTANT, "c", frozenset({"1"}))
    auditor = Principal("t4", Role.AUDITOR, "d", frozenset({"1", "2"}))
    assert scope_of(one) == scope_of(same)
    assert len({scope_of(one), scope_of(other), scope_of(auditor), scope_of(None)}) == 4
