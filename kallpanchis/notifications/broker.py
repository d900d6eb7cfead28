"""The Redis transport of the Celery worker, with one fix that reminders depend on (settings:
CELERY_BROKER_TRANSPORT points here whenever the broker is Redis).

The bug (Celery 5.7.0 with kombu 5.7.0, found by tests/notifications/test_worker.py): when the connection
to Redis breaks while the worker waits on a BRPOP and holds unacknowledged messages (always, with
acks_late and a task running), Celery tears the connection down twice — `collect()`, then `close()`.
kombu's `Channel.close()` first drains the pending BRPOP; on the dead socket that raises *before* the
channel is marked closed, so the second `close()` runs again after `collect()` has detached the transport
from its connection, and restoring the unacknowledged messages then fails with
`AttributeError: 'NoneType' object has no attribute 'hostname'`. Celery does not expect that error: the
log says "Unrecoverable error" and the worker process exits. No reminder is sent until something starts a
new worker (docker compose's restart policy does; a bare `celery worker` does not).

The fix: a pending BRPOP on a dead socket has nothing to drain, so its connection error ends the drain and
the close carries on (requeueing what it can, marking the channel closed) while the transport still has
its connection. The rest of close() is kombu's own.
"""

from queue import Empty

from kombu.transport import redis


class Channel(redis.Channel):
    def close(self):
        if self._in_poll and not self.closed:
            try:
                self._brpop_read()  # clears _in_poll whatever happens
            except Empty:
                pass
            except self.connection_errors:
                pass  # the socket is dead: there is no reply to read
        super().close()


class Transport(redis.Transport):
    Channel = Channel
