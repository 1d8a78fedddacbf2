"""Idempotency keys (domain/idempotency.py) without a database: format, fingerprint, running claims."""

import pytest

from domain.errors import DomainError
from domain.idempotency import check_key, claim, fingerprint


def test_same_body_in_another_key_order_is_the_same_request():
    one = fingerprint("post", "/api/v1/stock/moves", {"qty": "1", "sku": "A", "gps": {"lat": 1, "lon": 2}})
    two = fingerprint("POST", "/api/v1/stock/moves", {"sku": "A", "gps": {"lon": 2, "lat": 1}, "qty": "1"})
    assert one == two


def test_another_path_or_body_is_another_request():
    base = fingerprint("POST", "/api/v1/transfers/1/pick", {"qty": "1"})
    assert base != fingerprint("POST", "/api/v1/transfers/2/pick", {"qty": "1"})
    assert base != fingerprint("POST", "/api/v1/transfers/1/pick", {"qty": "2"})


def test_a_key_is_refused_while_the_same_user_is_running_it():
    with claim(1, "k-1"), pytest.raises(DomainError) as caught, claim(1, "k-1"):
        pass
    assert (caught.value.code, caught.value.status) == ("idempotency_in_progress", 409)


def test_the_same_key_of_another_user_runs_independently():
    with claim(1, "k-2"), claim(2, "k-2"):
        pass
    with claim(1, "k-2"):  # released after the first run ended
        pass


@pytest.mark.parametrize(
    ("key", "code"), [(None, "idempotency_key_missing"), ("has space", "idempotency_key_invalid")]
)
def test_missing_or_malformed_key_is_a_bad_request(key, code):
    with pytest.raises(DomainError) as caught:
        check_key(key)
    assert (caught.value.code, caught.value.status) == (code, 400)
