"""The replica choice without a replica running: reads spread over every healthy replica and
fall back to the primary (the real streaming replica is in test_replica.py)."""

from collections import Counter

from django.db import DEFAULT_DB_ALIAS

from geoportal import replicas


def test_reads_take_turns_over_the_healthy_replicas(monkeypatch):
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica_1", "replica_2"])
    monkeypatch.setattr(replicas, "_healthy", lambda alias, now: True)
    assert Counter(replicas._choose() for _ in range(10)) == {"replica_1": 5, "replica_2": 5}


def test_an_unhealthy_replica_is_passed_over_and_none_means_the_primary(monkeypatch):
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica_1", "replica_2"])
    monkeypatch.setattr(replicas, "_healthy", lambda alias, now: alias == "replica_2")
    assert {replicas._choose() for _ in range(6)} == {"replica_2"}
    monkeypatch.setattr(replicas, "_healthy", lambda alias, now: False)
    assert replicas._choose() == DEFAULT_DB_ALIAS
    monkeypatch.setattr(replicas, "replica_aliases", list)
    assert replicas._choose() == DEFAULT_DB_ALIAS
