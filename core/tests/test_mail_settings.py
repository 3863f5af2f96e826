"""Where the site's mail goes: EMAIL_URL, EMAIL_HOST, or the local outbox."""

from __future__ import annotations

import email
from email import policy

import pytest
from django.core.mail import mailers, send_mail

from lib.env import mailer_from_env, mailer_from_url


def test_without_mail_settings_mail_lands_in_the_outbox_folder(monkeypatch, tmp_path):
    for name in ("EMAIL_URL", "EMAIL_HOST"):
        monkeypatch.delenv(name, raising=False)
    config = mailer_from_env(tmp_path / "outbox")
    assert config["BACKEND"] == "lib.outbox.OutboxBackend"
    assert config["OPTIONS"]["path"] == tmp_path / "outbox"


def test_the_outbox_keeps_one_readable_eml_file_per_message(settings, tmp_path):
    outbox = tmp_path / "outbox"  # the folder the test settings point at
    send_mail("Patrol report", "Plain words", "desk@example.test", ["a@example.test"],
              html_message="<p>Rich words</p>")  # fmt: skip
    send_mail("Second", "More", "desk@example.test", ["b@example.test"])
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 2
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["Subject"] == "Patrol report" and message["To"] == "a@example.test"
    assert message.get_body(("plain",)).get_content().strip() == "Plain words"
    assert "Rich words" in message.get_body(("html",)).get_content()
    assert "patrol-report" in files[0].name


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.test", ("mail.example.test", 25, False, False)),
        ("smtp+tls://mail.example.test", ("mail.example.test", 587, True, False)),
        ("smtps://mail.example.test:2465", ("mail.example.test", 2465, False, True)),
    ],
)
def test_email_url_picks_host_port_and_encryption(url, expected):
    options = mailer_from_url(url)["OPTIONS"]
    got = (options["host"], options["port"], options["use_tls"], options["use_ssl"])
    assert got == expected


def test_email_url_credentials_may_contain_escaped_characters():
    options = mailer_from_url("smtps://desk%40example.test:p%2Fss%3Aword@mx.test")[
        "OPTIONS"
    ]
    assert options["username"] == "desk@example.test"
    assert options["password"] == "p/ss:word"


def test_email_url_with_an_unknown_scheme_says_what_it_expected():
    with pytest.raises(ValueError, match="smtp://"):
        mailer_from_url("http://mail.example.test")


def test_email_host_settings_build_an_smtp_mailer(monkeypatch, tmp_path):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    monkeypatch.setenv("EMAIL_HOST", "relay.example.test")
    monkeypatch.setenv("EMAIL_PORT", "2525")
    monkeypatch.setenv("EMAIL_USE_TLS", "yes")
    options = mailer_from_env(tmp_path)["OPTIONS"]
    assert (options["host"], options["port"], options["use_tls"]) == (
        "relay.example.test",
        2525,
        True,
    )


def test_mail_reaches_a_real_smtp_server_through_email_url(smtp_server, settings):
    port = settings.MAILERS["default"]["OPTIONS"]["port"]
    settings.MAILERS = {"default": mailer_from_url(f"smtp://127.0.0.1:{port}")}
    mailers.default.send_messages([])  # opens nothing, sends nothing
    send_mail("Over the wire", "Body", "desk@example.test", ["c@example.test"])
    assert [to for to, _m in smtp_server.messages] == [["c@example.test"]]
