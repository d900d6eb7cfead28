"""Replies from people's phones. A reply is matched to a person only by their own number (the register's
phone); a number nobody has changes nothing and is not kept.

- "SI"/"ARI" (Quechua yes) or "NO"/"MANAN": will or will not attend the person's next target that asks
  for an answer (a kind with sms_replies: the next meeting they were sent an SMS about);
- "BAJA"/"STOP": the person's SMS consent is withdrawn at once, their pending SMS cancelled, and they get
  one answer (a second BAJA gets none);
- anything else, or an answer with no meeting to answer, or a number two people share: the technicians'
  inbox.
"""

import re
import unicodedata

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from kallpanchis.people.sms import people_by_phone, sms_consent_withdraw_by_person

from ..models import Reminder
from ..registry import all_kinds
from .models import SmsInbound, SmsReply

Action = SmsInbound.Action
WORDS = {
    "SI": Action.YES,
    "ARI": Action.YES,
    "NO": Action.NO,
    "MANAN": Action.NO,
    "BAJA": Action.STOP,
    "STOP": Action.STOP,
}


def first_word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().upper()
    words = re.findall(r"[A-Z]+", plain)
    return words[0] if words else ""


def phone_normalise(number: str) -> str:
    """E.164 as the register stores it (+51…): spaces and dashes dropped, a bare 9-digit Peruvian mobile
    number given its country code."""
    digits = re.sub(r"[^\d+]", "", number or "")
    if re.fullmatch(r"9\d{8}", digits):
        return "+51" + digits
    if re.fullmatch(r"51\d{9}", digits):
        return "+" + digits
    return digits


def next_target(person) -> tuple[ContentType, int, object] | None:
    """The soonest upcoming target among those the person was sent an SMS about, of a kind that asks for
    an answer."""
    kinds = {kind.name: kind for kind in all_kinds() if kind.sms_replies}
    if not kinds:
        return None
    rows = (
        Reminder.objects.filter(person=person, channel="sms", kind__in=kinds, status=Reminder.Status.SENT)
        .order_by("-sent_at")
        .values_list("kind", "content_type_id", "object_id")[:50]
    )
    now = timezone.now()
    best = None
    for kind_name, content_type_id, object_id in dict.fromkeys(rows):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        target = model._default_manager.filter(pk=object_id).first() if model else None
        if target is None:
            continue
        kind = kinds[kind_name]
        when = kind.context(target).when
        if when and when > now and kind.checksum(target) and (best is None or when < best[0]):
            best = (when, ContentType.objects.get_for_id(content_type_id), object_id, target)
    return best[1:] if best else None


def reply_handle(*, gateway: str, event_id: str, phone: str, text: str) -> SmsInbound | None:
    """Act on one reply. None when nothing was done: an unknown number, or a reply already handled (the
    same gateway event again)."""
    from ..tasks import sms_ack_send

    phone = phone_normalise(phone)
    people = people_by_phone(phone=phone)
    if not people:
        return None
    person = people[0] if len(people) == 1 else None
    word = first_word(text)
    action = WORDS.get(word, Action.INBOX) if person is not None else Action.INBOX
    try:
        with transaction.atomic():
            inbound = SmsInbound.objects.create(
                gateway=gateway,
                event_id=event_id[:80],
                phone=phone,
                text=text[:1000],
                person=person,
                action=action,
            )
            if action == Action.STOP:
                active = sms_consent_withdraw_by_person(person=person)
                Reminder.objects.filter(person=person, channel="sms", status__in=Reminder.PENDING).update(
                    status=Reminder.Status.CANCELLED, lease_until=None, last_error="The person replied BAJA."
                )
                if active:
                    transaction.on_commit(lambda: sms_ack_send.delay(inbound.pk))
            elif action in (Action.YES, Action.NO):
                found = next_target(person)
                if found is None:
                    inbound.action = Action.INBOX
                    inbound.save(update_fields=["action"])
                else:
                    content_type, object_id, target = found
                    inbound.content_type, inbound.object_id = content_type, object_id
                    inbound.save(update_fields=["content_type", "object_id"])
                    SmsReply.objects.update_or_create(
                        person=person,
                        content_type=content_type,
                        object_id=object_id,
                        defaults={"attending": action == Action.YES, "inbound": inbound},
                    )
    except IntegrityError:  # this gateway event was handled before
        return None
    return inbound


def ack_text(language: str) -> str:
    if language == "qu":
        return "Kallpanchis: manaña SMS chaskinkichu. Munaspaqa teknikuwan rimay. Sulpayki."
    return "Kallpanchis: ya no recibira SMS. Si desea volver, hable con el tecnico. Gracias."
