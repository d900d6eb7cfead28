"""When the database or Redis is out for a moment, a page says "try again" (503 with Retry-After) instead
of the generic error page: the project's handler500 (kallpanchis/urls.py) looks at the exception being
handled. The page is static, like 500.html: it renders with no database, cache or session."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 20


def _outage_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OperationalError, InterfaceError]
    try:
        import redis.exceptions

        errors += [redis.exceptions.ConnectionError, redis.exceptions.TimeoutError]
    except ImportError:  # pragma: no cover (redis is a dependency)
        pass
    try:
        import kombu.exceptions

        errors.append(kombu.exceptions.OperationalError)  # the broker (Redis) when a task is queued
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


OUTAGE_ERRORS = _outage_errors()


def is_outage(error: BaseException | None) -> bool:
    """The error, or one it was raised from, says a service (PostgreSQL, Redis) could not be reached."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OUTAGE_ERRORS):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def outage_response() -> HttpResponse:
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, *args, **kwargs) -> HttpResponse:
    """handler500: a 503 "try again" page for an outage of a service, the usual 500 page otherwise."""
    if is_outage(sys.exc_info()[1]):
        logger.warning("service unavailable for %s: answered 503", request.path)
        return outage_response()
    return HttpResponseServerError(loader.get_template("500.html").render())
