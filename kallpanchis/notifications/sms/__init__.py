"""SMS: the reminders' channel for the people of the register who have a basic phone and no e-mail.

Gateways (gateways.py), the GSM 03.38 arithmetic (gsm.py), texts per kind and language (texts.py), sending
from the outbox exactly once (delivery.py), callbacks and replies (hooks.py, replies.py), quiet hours and
budgets (limits.py). See docs/notifications.md, "SMS".
"""
