"""The login lockout behind nginx (issue 19): the client's address comes from the trusted proxy's header, and
five wrong passwords lock that username from that address only; an administrator unlocks it."""

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory

from kcn_portal.core.clientip import client_ip

NGINX = "127.0.0.1"  # the portal's own proxy (KCN_TRUSTED_PROXIES' default)
MALLORY, HER, LOCKED = "198.51.100.66", "203.0.113.9", "Tài khoản tạm thời bị khóa"


def via_proxy(forwarded_for: str) -> Client:
    return Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded_for)


def login(client: Client, password: str):
    return client.post("/login/", {"username": "hna.staff", "password": password})


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        (NGINX, HER, HER),  # nginx appended the client it saw
        (NGINX, f"10.9.9.9, {HER}", HER),  # what the client wrote itself lies to the left and is ignored
        (NGINX, f"{HER}, 127.0.0.1", HER),  # a second local proxy hop is skipped
        (NGINX, "", NGINX),  # no header: the proxy's own request
        (NGINX, "not-an-address", NGINX),  # a malformed hop is not believed
        (MALLORY, HER, MALLORY),  # not from the proxy: the header is the client's own claim
        (NGINX, "[2001:db8::7]:443", "2001:db8::7"),
    ],
)
def test_the_client_address_is_read_from_the_trusted_proxy_only(remote, forwarded, client):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == client


def test_five_failures_from_elsewhere_do_not_lock_the_person_out(hna_staff):
    attacker = via_proxy(MALLORY)
    for _ in range(5):
        login(attacker, "sai")
    assert LOCKED in login(attacker, "kcn-test-pass").content.decode()  # the attacker's address is locked
    # … but not the person, from her own address behind the same proxy
    assert login(via_proxy(HER), "kcn-test-pass")["Location"] == "/"


def test_a_forged_header_does_not_move_the_lockout_to_someone_else(hna_staff):
    forger = via_proxy(f"{HER}, {MALLORY}")  # Mallory writes Her's address first; nginx appends Mallory's
    for _ in range(5):
        login(forger, "sai")
    assert login(via_proxy(HER), "kcn-test-pass")["Location"] == "/"


def test_the_administrator_unlocks_a_locked_account(hna_staff):
    client = via_proxy(HER)
    for _ in range(5):
        login(client, "sai")
    assert LOCKED in login(client, "kcn-test-pass").content.decode()
    call_command("axes_reset_username", "hna.staff")  # docs/operations.md, "A locked-out account"
    assert login(client, "kcn-test-pass")["Location"] == "/"
