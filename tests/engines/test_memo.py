"""engines.memo: a result is computed once per engine, name and key; the oldest keys go."""

from __future__ import annotations

from engines.memo import per_engine


class Ledger:
    """Stands in for an engine (any object that can be weakly referenced)."""


def test_a_result_is_computed_once_per_engine_and_key_and_the_oldest_key_goes_first():
    calls = []

    def answer(key):
        return per_engine(ledger, "answer", key, 2, lambda: calls.append(key) or key * 10)

    ledger, other = Ledger(), Ledger()
    assert [answer(1), answer(1), answer(2)] == [10, 10, 20]  # 1 computed once
    answer(1)  # 1 is now the latest, 2 the oldest
    answer(3)  # keeps 2 keys: 2 goes
    assert calls == [1, 2, 3]
    answer(1), answer(2)
    assert calls == [1, 2, 3, 2]  # 1 kept, 2 computed again
    assert per_engine(other, "answer", 1, 2, lambda: "another ledger's") == "another ledger's"
