"""Reuse detection: disguised copies of real paragraphs are found, unrelated items on the same topic are not."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinbao.quality.models import ReferenceDocument, ReuseDocument, ReuseFingerprint
from xinbao.quality.reuse.index import find_matches, index_reference, index_report, rebuild
from xinbao.quality.reuse.normalize import normalise
from xinbao.quality.reuse.verify import compare
from xinbao.quality.tests import corpus
from xinbao.reports.tests.factories import make_cast, make_report

THRESHOLD = 0.5


def test_normalisation_erases_the_cheap_disguises():
    text = "近日，安平縣城關鎮組織××等２０余人。"
    norm = normalise(text)
    assert norm.text == "近日安平县城关镇组织等0余人"
    assert text[norm.offsets[2]] == "安" and text[norm.offsets[-1]] == "人"
    assert corpus.check_traditional_table()


@pytest.mark.parametrize("key", list(corpus.ITEMS))
def test_every_disguise_of_every_item_scores_high(key):
    _topic, text = corpus.ITEMS[key]
    for name, disguised in corpus.disguises(text, corpus.filler_text()).items():
        assert compare(text, disguised).score >= 0.8, name


def test_passages_come_back_side_by_side_in_original_coordinates():
    _topic, text = corpus.ITEMS["safety_1"]
    copy = corpus.swap_names(text)
    result = compare(text, copy)
    longest = max(result.passages, key=lambda p: p.length)
    mine, theirs = text[longest.a_start : longest.a_end], copy[longest.b_start : longest.b_end]
    assert len(mine) > 40 and normalise(mine).text[:20] == normalise(theirs).text[:20]


def test_an_embedded_copy_scores_against_the_shorter_text():
    _topic, text = corpus.ITEMS["flood_2"]
    longer = corpus.embed(text, corpus.filler_text())
    assert compare(longer, text).score >= 0.95
    assert compare(text, longer).score == compare(longer, text).score


@pytest.mark.django_db
def test_precision_and_recall_through_the_index(capsys):
    """Index the nine originals as reference documents, look up every disguised copy and every other original;
    a (query, original) pair is predicted when the lookup returns the original at or above the threshold."""
    refs = {}
    for key, (_topic, text) in corpus.ITEMS.items():
        refs[key] = ReferenceDocument.objects.create(title=key, source="测试", text=text)
        index_reference(refs[key])
    by_doc = {ReuseDocument.objects.get(reference=r).pk: key for key, r in refs.items()}
    filler = corpus.filler_text()
    queries: list[tuple[str, str]] = []  # (query text, the original it copies or "")
    for key, (_topic, text) in corpus.ITEMS.items():
        for disguised in corpus.disguises(text, filler).values():
            queries.append((disguised, key))
    # Negatives: new items on the same topics written independently (the other originals, re-titled).
    for key, (_topic, text) in corpus.ITEMS.items():
        queries.append((text, key))  # the original itself must match only itself
    tp = fp = fn = 0
    for text, source in queries:
        found = {by_doc[m.doc.pk] for m in find_matches(text, threshold=THRESHOLD)}
        tp += source in found
        fn += source not in found
        fp += len(found - {source})
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    print(
        f"reuse precision {precision:.3f} recall {recall:.3f} (tp={tp} fp={fp} fn={fn}, {len(queries)} queries)"
    )
    assert recall >= 0.95
    assert precision >= 0.95
    # And directly: same-topic originals never reach the threshold against each other.
    for a, (ta, xa) in corpus.ITEMS.items():
        for b, (tb, xb) in corpus.ITEMS.items():
            if a < b and ta == tb:
                assert compare(xa, xb).score < 0.2, (a, b)


@pytest.mark.django_db
def test_the_index_follows_item_saves(world, django_capture_on_commit_callbacks):
    cast = make_cast(world)
    _topic, text = corpus.ITEMS["dispute_1"]
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(cast.informant, title="东街社区设立板凳议事会化解邻里纠纷", body=text)
    doc = ReuseDocument.objects.get(report=report)
    assert ReuseFingerprint.objects.filter(doc=doc).exists()
    copy = corpus.placeholders(text)
    [match] = find_matches(copy)
    assert match.doc.report_id == report.pk and match.score > 0.9
    # An edit re-indexes; a save without a text change does not.
    from xinbao.reports.services import report_update

    with django_capture_on_commit_callbacks(execute=True):
        report_update(
            actor=cast.informant,
            report=report,
            title=report.title,
            body=corpus.ITEMS["flood_1"][1],
            base_version=1,
        )
    assert find_matches(copy) == []
    assert find_matches(corpus.ITEMS["flood_1"][1])[0].doc.report_id == report.pk
    assert index_report(report.pk) is False
    # The item itself is excluded when it is checked while being edited.
    assert find_matches(corpus.ITEMS["flood_1"][1], exclude_report_id=report.pk) == []


@pytest.mark.django_db
def test_rebuild_command_recreates_the_index(world):
    cast = make_cast(world)
    report = make_report(
        cast.informant, title="石桥县巡回调解土地流转纠纷", body=corpus.ITEMS["dispute_2"][1]
    )
    ref = ReferenceDocument.objects.create(title="网文", source="某网站", text=corpus.ITEMS["safety_2"][1])
    out = StringIO()
    call_command("rebuild_reuse_index", stdout=out)
    assert "2 documents" in out.getvalue()
    assert ReuseDocument.objects.filter(report=report).exists()
    assert ReuseDocument.objects.filter(reference=ref).exists()
    assert find_matches(corpus.traditional(corpus.ITEMS["safety_2"][1]))[0].doc.reference_id == ref.pk
    # Stock phrases: with a document-frequency cap of 1 every shared fingerprint becomes common.
    assert rebuild(common_df=1) == 2
    # --if-empty (make run) leaves a built index alone and builds a missing one.
    out = StringIO()
    call_command("rebuild_reuse_index", "--if-empty", stdout=out)
    assert out.getvalue() == ""
    ReuseDocument.objects.all().delete()
    call_command("rebuild_reuse_index", "--if-empty", stdout=out)
    assert "2 documents" in out.getvalue() and ReuseDocument.objects.count() == 2


def test_find_reuse_command_prints_pairs_at_or_above_the_threshold(tmp_path):
    filler = corpus.filler_text()
    (tmp_path / "a.txt").write_text(corpus.ITEMS["safety_1"][1], encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        corpus.disguises(corpus.ITEMS["safety_1"][1], filler)["all"], encoding="utf-8"
    )
    (tmp_path / "c.txt").write_text(corpus.ITEMS["safety_2"][1], encoding="utf-8")
    (tmp_path / "d.txt").write_text(corpus.embed(corpus.ITEMS["safety_2"][1], filler), encoding="utf-8")
    (tmp_path / "e.txt").write_text(corpus.ITEMS["safety_3"][1], encoding="utf-8")
    (tmp_path / "notes.md").write_text(corpus.ITEMS["safety_3"][1], encoding="utf-8")
    out = StringIO()
    call_command("find_reuse", str(tmp_path), "--json", stdout=out)
    pairs = json.loads(out.getvalue())
    assert {(p["a"], p["b"]) for p in pairs} == {("a.txt", "b.txt"), ("c.txt", "d.txt")}
    assert all(0.5 <= p["score"] <= 1 for p in pairs)
    out = StringIO()
    call_command("find_reuse", str(tmp_path), "--threshold", "0.99", "--json", stdout=out)
    assert {(p["a"], p["b"]) for p in json.loads(out.getvalue())} <= {("a.txt", "b.txt"), ("c.txt", "d.txt")}


def test_find_reuse_command_rejects_bad_input(tmp_path):
    with pytest.raises(CommandError):
        call_command("find_reuse", str(tmp_path / "missing"), "--json")
    with pytest.raises(CommandError):
        call_command("find_reuse", str(tmp_path), "--threshold", "1.5")
    (tmp_path / "bad.txt").write_bytes("安全生产".encode("gbk"))
    with pytest.raises(CommandError):
        call_command("find_reuse", str(tmp_path), "--json")
    (tmp_path / "bad.txt").unlink()
    out = StringIO()
    call_command("find_reuse", str(tmp_path), "--json", stdout=out)
    assert json.loads(out.getvalue()) == []
