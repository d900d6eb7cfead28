"""Account e-mails leave through the task queue: a mail server or a broker that does not answer never
breaks the page, and a message asked for during a mail outage leaves once the server is back, once."""

import logging

import pytest
from django.core import mail
from django.urls import reverse

from kallpanchis.celery import app
from tests.accounts.factories import UserFactory
from tests.local_services import free_port, reset_pools, wait_until

RESET_SENT = "Le hemos enviado un correo electrónico"  # allauth's "we have sent you an e-mail" page


def ask_for_a_reset(client, email):
    response = client.post(reverse("account_reset_password"), {"email": email}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("account_reset_password_done")
    assert RESET_SENT in response.content.decode()
    return response


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)  # the page queues the e-mail when its transaction commits
def test_a_reset_asked_during_a_mail_outage_leaves_once_the_server_is_back(
    client, celery_workers, smtp_server
):
    person = UserFactory(email="rosa.quispe@example.pe")
    worker = celery_workers(
        KALLPANCHIS_TEST_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_server.port),
        MAIL_RETRY_SECONDS="1",
    ).start(concurrency=1)

    ask_for_a_reset(client, person.email)  # the SMTP server is not running: its port refuses

    assert wait_until(lambda: "trying again" in worker.log.read_text(errors="replace"), timeout=30)
    assert smtp_server.messages == []
    smtp_server.start()
    assert wait_until(lambda: smtp_server.messages, timeout=40)
    # Later retries (if any were wrongly left queued) would land within their 1-2-4 s waits.
    wait_until(lambda: len(smtp_server.messages) > 1, timeout=6)

    assert len(smtp_server.messages) == 1
    delivered = smtp_server.messages[0]
    assert delivered["to"] == [person.email]
    assert delivered["message"]["Message-ID"].startswith("<mail-")
    body = delivered["message"].get_payload(decode=True) or delivered["message"].get_payload(0).get_payload(
        decode=True
    )
    assert b"/accounts/password/reset/key/" in body


@pytest.mark.django_db(transaction=True)
def test_without_a_task_queue_an_unreachable_mail_server_still_gives_the_normal_page(
    client, settings, tasks_in_process, caplog
):
    """A machine without Redis runs tasks in-line: the send fails, is logged, and the page goes on."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there
    person = UserFactory()
    with caplog.at_level(logging.ERROR, logger="kallpanchis.core.tasks"):
        ask_for_a_reset(client, person.email)
    assert "not sent (no task queue to retry from)" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_changing_ones_email_with_the_mail_server_down_gives_the_normal_page(
    client, settings, tasks_in_process
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "nuevo.correo@example.pe"}, follow=True
    )
    assert response.status_code == 200
    assert person.emailaddress_set.filter(email="nuevo.correo@example.pe", verified=False).exists()


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_page_answers_and_the_mail_leaves_from_the_request(client):
    person = UserFactory()
    previous = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    reset_pools(app)
    try:
        ask_for_a_reset(client, person.email)
    finally:
        app.conf.broker_url = previous
        reset_pools(app)
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<mail-")
