from collections import Counter

from training.ml.splits import shots_split, stratified_split


def _labels(counts: dict[str, int]) -> list[frozenset[str]]:
    return [frozenset({label}) for label, n in counts.items() for _ in range(n)]


def test_stratified_split_keeps_label_proportions_and_is_reproducible() -> None:
    # given 100 rows of a common label and 10 of a rare one, one of them also common
    label_sets = _labels({"common": 100, "rare": 10})
    label_sets[0] = frozenset({"common", "rare"})

    # when
    first, second = stratified_split(label_sets, second_fraction=0.2, seed=3)

    # then
    assert sorted(first + second) == list(range(110))
    assert len(second) in (21, 22)  # 20% of 110 rows, rounded either way by the label quotas
    rare_in_second = sum(1 for i in second if "rare" in label_sets[i])
    assert rare_in_second == 2
    assert stratified_split(label_sets, second_fraction=0.2, seed=3) == (first, second)
    assert stratified_split(label_sets, second_fraction=0.2, seed=4) != (first, second)


def test_shots_split_takes_k_per_label_and_at_most_half_of_a_small_label() -> None:
    label_sets = _labels({"a": 40, "b": 10, "c": 3})

    train, test = shots_split(label_sets, labels=["a", "b", "c"], shots=8, seed=0)

    per_label = Counter(label for i in train for label in label_sets[i])
    assert per_label == {"a": 8, "b": 5, "c": 1}
    assert sorted(train + test) == list(range(53))
    assert shots_split(label_sets, labels=["a", "b", "c"], shots=8, seed=0) == (train, test)
