"""Type suggestion and its measured accuracy on held-out demo items."""

from __future__ import annotations

from xinbao.quality.suggest import TEST_PLACES, TRAIN_PLACES, Model, demo_samples, model, suggest_type


def test_shipped_model_records_its_held_out_accuracy():
    m = model()
    assert m is not None
    print(f"type suggestion held-out accuracy {m.accuracy:.3f} on {m.test_size} demo items")
    assert m.test_size >= 400 and m.accuracy >= 0.9


def test_training_on_one_set_and_measuring_on_another():
    m = Model.train(demo_samples(11, 240, TRAIN_PLACES))
    test = demo_samples(12, 120, TEST_PLACES)
    accuracy = sum(m.predict(t)[0] == label for t, label in test) / len(test)
    assert accuracy >= 0.85


def test_suggestion_explains_itself():
    s = suggest_type(
        "关于加强农村留守老人关爱服务的建议",
        "白沙镇在调研养老服务工作时发现，农村留守老人日常照料缺人手，助餐服务覆盖面不足。为此建议：一是建立结对帮扶机制；二是扩大助餐点覆盖。",
    )
    assert s is not None and s.report_type == "suggestion" and s.reasons
    assert 0 < s.confidence <= 1
    assert suggest_type("", " ") is None
