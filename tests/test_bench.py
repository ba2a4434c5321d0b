"""The benchmark's own rules, without a database (bench/run.py, bench/datagen.py):
the side-by-side reads compare agents who see as many open tickets, and reused
data (--keep) grows to a larger --scale."""

import pytest

from bench import datagen, measure, run


def _check(monkeypatch, ours, peer, *argv):
    counts = iter([ours, peer])
    monkeypatch.setattr(measure, "visible_open", lambda side: next(counts))
    results = {}
    run.check_visibility(run.parse_args(["--peer", *argv]), results, None, None)
    return results["visible_open"]


def test_visibility_within_tolerance(monkeypatch):
    visible = _check(monkeypatch, 4409, 4432)
    assert visible == {"ours": 4409, "peer": 4432, "diff_pct": 0.52}


def test_visibility_apart_refuses(monkeypatch):
    # ours 4,409 open tickets (his teams and those open to all), the peer's
    # agent 6,345 (all tickets): the reads of 20,000 tickets before the fix
    with pytest.raises(SystemExit, match="30.5 % different numbers"):
        _check(monkeypatch, 4409, 6345)


def test_visibility_apart_warns_when_allowed(monkeypatch):
    visible = _check(monkeypatch, 4409, 6345, "--allow-unequal-visibility")
    assert visible["diff_pct"] == 30.51
    assert "30.5 % different" in visible["warning"]


@pytest.mark.parametrize(
    ("stored", "asked", "grows"),
    [(0.2, 1.0, True), (0.2, 0.2, False), (1.0, 0.2, False)],
)
def test_kept_data_grows_to_a_larger_scale(stored, asked, grows):
    generation = {"sizes": datagen.Sizes.from_scale(stored).as_dict()}
    args = run.parse_args(["--keep", "--scale", str(asked)])
    assert datagen.should_grow(generation, args, lambda msg: None) is grows
