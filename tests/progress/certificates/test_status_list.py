"""Revocation anyone can check: the W3C Bitstring Status List, its encoding, the published list
credential, random bits, and revocation setting the bit in the revocation's own transaction."""

import base64
import gzip

import pytest
from django.db import transaction
from django.urls import reverse

from progress import status_list
from progress.credentials import verify_credential
from progress.models import Certificate, StatusList
from progress.services import certificates as services
from progress.services import credential_status
from tests.factories import UserFactory, topic_with_lessons

# The encodedList of Example 3 in the W3C Recommendation: an empty list of 131,072 entries.
SPEC_EXAMPLE = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def test_the_specification_example_decodes_to_an_empty_list_of_the_minimum_size():
    bits = status_list.decode_list(SPEC_EXAMPLE)
    assert len(bits) * 8 == status_list.MIN_BITS == 131_072
    assert not any(bits)


def test_encoding_is_multibase_base64url_of_gzip_with_index_zero_the_leftmost_bit():
    bits = status_list.with_bit_set(status_list.empty_bitstring(), 0)
    bits = status_list.with_bit_set(bits, 131_071)
    encoded = status_list.encode_list(bits)
    assert encoded.startswith("u") and "=" not in encoded and "+" not in encoded and "/" not in encoded
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert raw[0] == 0b1000_0000 and raw[-1] == 0b0000_0001  # left-most bit first, right-most last
    assert status_list.decode_list(encoded) == bits
    assert status_list.encode_list(bits) == encoded  # deterministic: same bits, same list


@pytest.mark.parametrize(
    ("encoded", "reason"),
    [
        ("H4sIAAAA", "must start with 'u'"),
        ("u!!!!", "cannot be decoded"),
        ("u" + base64.urlsafe_b64encode(gzip.compress(bytes(100))).rstrip(b"=").decode(), "fewer than"),
    ],
)
def test_a_malformed_list_is_refused_with_a_reason(encoded, reason):
    with pytest.raises(status_list.StatusUnavailable, match=reason):
        status_list.decode_list(encoded)


def test_every_credential_carries_a_revocation_entry(completed):
    claims = verify_credential(completed.credential)
    entry = claims["credentialStatus"]
    list_url = f"http://testserver/credentials/status/{completed.status_list_id}/"
    assert entry == {
        "id": f"{list_url}#{completed.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(completed.status_index),
        "statusListCredential": list_url,
    }


def test_bits_are_drawn_at_random_not_in_issue_order(db):
    topic = topic_with_lessons(1)
    certificates = [Certificate.objects.create(user=UserFactory(), topic=topic) for _ in range(12)]
    indexes = [int(credential_status.status_entry_allocate(certificate=c)["statusListIndex"]) for c in certificates]
    assert len(set(indexes)) == 12
    assert indexes != sorted(indexes) and max(indexes) > 1000  # not 0, 1, 2 …: the order is not leaked
    again = credential_status.status_entry_allocate(certificate=Certificate.objects.get(pk=certificates[0].pk))
    assert again["statusListIndex"] == str(indexes[0])  # allocated once, kept


def test_a_taken_bit_is_drawn_again(db, monkeypatch):
    topic = topic_with_lessons(1)
    first, second = (Certificate.objects.create(user=UserFactory(), topic=topic) for _ in range(2))
    draws = iter([7, 7, 9])
    monkeypatch.setattr(status_list, "random_index", lambda bits=0: next(draws))
    assert credential_status.status_entry_allocate(certificate=first)["statusListIndex"] == "7"
    assert credential_status.status_entry_allocate(certificate=second)["statusListIndex"] == "9"


def test_a_full_list_makes_way_for_a_new_one(db, monkeypatch):
    topic = topic_with_lessons(1)
    monkeypatch.setattr(credential_status, "LIST_FILL_LIMIT", 2)
    lists = {
        credential_status.status_entry_allocate(
            certificate=Certificate.objects.create(user=UserFactory(), topic=topic)
        )["statusListCredential"]
        for _ in range(3)
    }
    assert len(lists) == 2


def test_revoking_sets_the_bit_and_the_published_list_says_revoked(client, completed):
    url = reverse("progress:status_list", args=[completed.status_list_id])
    before = client.get(url)
    assert before.status_code == 200 and before["Content-Type"] == "application/vc+jwt"
    assert before["Cache-Control"] == "public, max-age=300" and before["Access-Control-Allow-Origin"] == "*"
    listed = verify_credential(before.content.decode())
    entry = verify_credential(completed.credential)["credentialStatus"]
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed["id"] == entry["statusListCredential"]
    assert listed["credentialSubject"]["type"] == "BitstringStatusList"
    assert listed["credentialSubject"]["statusPurpose"] == "revocation"
    assert listed["credentialSubject"]["ttl"] == 300_000  # the same five minutes as Cache-Control
    assert status_list.is_revoked(entry, listed) is False

    services.certificate_revoke(certificate=completed, reason="Issued in error")
    bits = StatusList.objects.get(pk=completed.status_list_id).bits
    assert status_list.bit_is_set(bits, completed.status_index)
    after = verify_credential(client.get(url).content.decode())
    assert status_list.is_revoked(entry, after) is True


def test_a_revocation_that_rolls_back_leaves_the_bit_clear(completed):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.certificate_revoke(certificate=completed, reason="Issued in error")
        raise RuntimeError("the request failed after revoking")
    completed.refresh_from_db()
    assert completed.status == "issued"
    assert not status_list.bit_is_set(StatusList.objects.get(pk=completed.status_list_id).bits, completed.status_index)


def test_the_list_is_checked_against_the_entry_it_is_used_for(completed, client):
    entry = verify_credential(completed.credential)["credentialStatus"]
    listed = verify_credential(client.get(entry["statusListCredential"]).content.decode())
    with pytest.raises(status_list.StatusUnavailable, match=r"not .*status/999"):
        status_list.is_revoked({**entry, "statusListCredential": "http://testserver/credentials/status/999/"}, listed)
    with pytest.raises(status_list.StatusUnavailable, match="outside"):
        status_list.is_revoked({**entry, "statusListIndex": "131072"}, listed)
    with pytest.raises(status_list.StatusUnavailable, match="base-10"):
        status_list.is_revoked({**entry, "statusListIndex": 5}, listed)


def test_unknown_list_is_a_404(client, db):
    assert client.get("/credentials/status/424242/").status_code == 404


def test_status_list_endpoint_query_count_holds_as_revocations_grow(client, completed, django_assert_num_queries):
    url = reverse("progress:status_list", args=[completed.status_list_id])
    client.get(url)  # warm-up
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
    topic = topic_with_lessons(1)
    for _ in range(5):
        other = Certificate.objects.create(user=UserFactory(), topic=topic, status="issued")
        credential_status.status_entry_allocate(certificate=other)
        services.certificate_revoke(certificate=other, reason="test")
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
