"""HTTP to TT: one pooled `requests.Session`, retries that TT's rules allow, every attempt budgeted.

Why each piece:
- urllib3's `Retry` does the retrying (exponential backoff with jitter, capped, honouring
  Retry-After), restricted to idempotent GETs: a POST (token request) is never repeated, because TT
  allows one every ten seconds. Connection-refused is retried for every method since nothing was sent.
- Every attempt, retries and redirects included, passes through `RequestBudget.acquire`: the adapter
  counts first attempts (requests calls it again for each 303 it follows), `BudgetRetry.sleep` counts
  each retry after its backoff. TT counts the same way.
- Redirects are followed only within TT's origin (`SameOriginSession`): never a credential to another host.
- No Content-Type on a GET (TT's gateway then misreads the Authorization header and answers 403).
- A body that is not JSON or carries a status other than Ok becomes a `TTRequestError` that names the
  endpoint and the HTTP status; secrets and tokens never appear in a message or a log.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from zn_ladder.tt.budget import RequestBudget
from zn_ladder.tt.connection import TTConnection
from zn_ladder.tt.errors import TTBodyError, TTRequestError
from zn_ladder.tt.request_id import new_request_id

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class BudgetRetry(Retry):
    """`Retry` that counts each retry against the budget and never retries a non-idempotent method,
    not even on a 429 with Retry-After (plain `Retry` would)."""

    def __init__(self, *args: Any, budget: RequestBudget | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = budget

    def new(self, **kw: Any) -> BudgetRetry:
        kw.setdefault("budget", self.budget)
        return super().new(**kw)

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if not self._is_method_retryable(method):
            return False
        return super().is_retry(method, status_code, has_retry_after)

    def sleep(self, response: Any = None) -> None:
        super().sleep(response)
        if self.budget is not None:
            self.budget.acquire("retry")
        _attempt.started = time.monotonic()  # the next attempt starts now: backoff is not round trip


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of a URL, the port made explicit: what a redirect must not change."""
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:
        port = -1  # a port that is not a number: never equal to ours
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


class CrossOriginRedirect(requests.exceptions.RequestException):
    """TT (or whatever answers at its address) redirected a request to another origin."""


class SameOriginSession(requests.Session):
    """A session that follows a redirect only to the origin it asked (scheme, host and port).

    Why: requests follows a 307/308 with the POST body (the token request's `app_key=KEY:SECRET`) and
    keeps custom headers (`x-api-key`) on every hop; it only drops `Authorization` across hosts. A
    redirect to another origin is therefore refused before anything is sent there: no credential
    ever reaches a host we did not choose. TT's own 303s stay on its origin and are followed.
    """

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        location = super().get_redirect_target(resp)
        if location is None:
            return None
        target = urljoin(resp.url, location)
        if origin(target) != origin(resp.url):
            moved = origin(target)
            raise CrossOriginRedirect(f"{resp.status_code} redirect to another origin "
                                      f"({moved[0]}://{moved[1]}:{moved[2]})", response=resp)
        return location


class BudgetAdapter(HTTPAdapter):
    """Counts every request the session sends (first attempts and followed redirects)."""

    def __init__(self, budget: RequestBudget, **kwargs: Any) -> None:
        self._budget = budget
        super().__init__(**kwargs)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self._budget.acquire(f"{request.method} {request.path_url.split('?')[0]}")
        _attempt.started = time.monotonic()  # after any wait for the budget
        return super().send(request, **kwargs)


#: When this thread's current attempt was sent (monotonic): a request's first attempt, each redirect
#: hop and each retry after its backoff. The doctor's clock-skew estimate needs the round trip of
#: the attempt that was answered, not of the whole call with its retries and backoff.
_attempt = threading.local()


@dataclass(frozen=True, slots=True)
class Answer:
    """A decoded JSON answer and what the doctor and status bar want to know about it."""

    endpoint: str
    status: int
    body: dict[str, Any]
    #: Server clock from the Date header (epoch seconds) and our clock when the answer arrived.
    server_time: float | None
    local_time: float
    #: The whole call, retries, backoff and redirects included.
    elapsed: float
    #: The round trip of the attempt that was answered alone (what a clock comparison may use).
    round_trip: float = 0.0


def _server_time(response: requests.Response) -> float | None:
    value = response.headers.get("Date")
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None


class Transport:
    """Owns the session; thread-safe for concurrent calls (requests' pool is)."""

    def __init__(self, conn: TTConnection, budget: RequestBudget) -> None:
        self.conn = conn
        self.budget = budget
        retry = BudgetRetry(
            total=conn.retries, connect=conn.retries, read=conn.retries, status=conn.retries,
            other=0, redirect=False, allowed_methods=frozenset({"GET", "HEAD"}),
            status_forcelist=RETRY_STATUSES, backoff_factor=conn.backoff_factor,
            backoff_max=conn.backoff_max, backoff_jitter=conn.backoff_jitter,
            retry_after_max=int(conn.retry_after_max), respect_retry_after_header=True,
            raise_on_status=False, raise_on_redirect=False, budget=budget)
        adapter = BudgetAdapter(budget, max_retries=retry, pool_connections=4, pool_maxsize=8)
        session = SameOriginSession()
        session.trust_env = False  # no proxy or netrc surprises from a desk PC's environment
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        self.session = session
        self.last_answer: Answer | None = None

    def close(self) -> None:
        self.session.close()

    def _params(self, params: dict[str, Any] | None) -> dict[str, Any]:
        out = {"requestId": new_request_id(self.conn.app_name, self.conn.company)}
        if params:
            out.update({k: v for k, v in params.items() if v is not None})
        return out

    def get(self, service: str, endpoint: str, *, token: str, params: dict[str, Any] | None = None) -> Answer:
        headers = {"x-api-key": self.conn.app_key, "Authorization": f"Bearer {token}",
                   "accept": "application/json"}
        return self._send("GET", service, endpoint, headers=headers, params=params)

    def post_token(self) -> Answer:
        headers = {"x-api-key": self.conn.app_key, "accept": "application/json"}
        data = {"grant_type": "user_app", "app_key": f"{self.conn.app_key}:{self.conn.app_secret}"}
        return self._send("POST", "ttid", "token", headers=headers, data=data)

    def _send(self, method: str, service: str, endpoint: str, *, headers: dict[str, str],
              params: dict[str, Any] | None = None, data: dict[str, str] | None = None) -> Answer:
        name = f"{service}/{endpoint}"
        url = self.conn.url(service, endpoint)
        started = time.monotonic()
        try:
            response = self.session.request(method, url, params=self._params(params), data=data, headers=headers,
                                            timeout=self.conn.timeout, allow_redirects=True)
        except requests.exceptions.ConnectTimeout:
            raise TTRequestError(f"TT could not be reached at {self.conn.base_url} for {name}: connection timed out "
                                 f"after {self.conn.timeout[0]} s", endpoint=name) from None
        except requests.exceptions.ReadTimeout:
            raise TTRequestError(f"TT did not answer {name} within {self.conn.timeout[1]} s", endpoint=name) from None
        except requests.exceptions.ConnectionError as exc:
            reason = getattr(exc.args[0], "reason", exc.args[0]) if exc.args else exc
            text = "timed out" if "timed out" in str(reason).lower() else "connection failed"
            raise TTRequestError(f"TT could not be reached at {self.conn.base_url} for {name} ({text}, "
                                 f"{self.conn.retries + 1} attempts): {type(reason).__name__}", endpoint=name) from None
        except CrossOriginRedirect as exc:
            raise TTRequestError(f"TT's answer to {name} was a {exc}: not followed, so no credential leaves "
                                 f"{self.conn.base_url}; check the TT address", endpoint=name) from None
        except requests.exceptions.RequestException as exc:
            raise TTRequestError(f"request to TT {name} failed: {type(exc).__name__}", endpoint=name) from None
        arrived, now = time.time(), time.monotonic()
        elapsed = now - started
        round_trip = now - max(getattr(_attempt, "started", started), started)
        log.debug("%s %s -> %s in %.3f s", method, name, response.status_code, elapsed)
        return self._decode(name, response, elapsed, arrived, round_trip)

    def _decode(self, name: str, response: requests.Response, elapsed: float, arrived: float | None = None,
                round_trip: float | None = None) -> Answer:
        status = response.status_code
        body: Any
        try:
            body = response.json()
        except ValueError:
            body = None
        message = ""
        if isinstance(body, dict):
            message = str(body.get("status_message") or body.get("message") or "")
        if status >= 400:
            raise TTRequestError(_status_text(name, status, message, self.conn), endpoint=name, status=status)
        if not isinstance(body, dict):
            kind = response.headers.get("Content-Type", "no content type")
            raise TTBodyError(f"TT answered {name} with a body that is not a JSON object (HTTP {status}, {kind})",
                              endpoint=name, status=status)
        ok = body.get("status")
        if ok is not None and str(ok).lower() != "ok":
            detail = f": {message}" if message else ""
            raise TTRequestError(f"TT answered {name} with status {ok!r}{detail} (HTTP {status})",
                                 endpoint=name, status=status)
        answer = Answer(name, status, body, _server_time(response), time.time() if arrived is None else arrived,
                        elapsed, elapsed if round_trip is None else round_trip)
        self.last_answer = answer
        return answer


def _status_text(name: str, status: int, message: str, conn: TTConnection) -> str:
    detail = f" ({message})" if message else ""
    if status == 401:
        return f"TT refused the credentials for {name} (HTTP 401){detail}"
    if status == 403:
        return (f"TT refused {name} (HTTP 403){detail}: the app key may be wrong or belong to another environment "
                f"than {conn.env}")
    if status == 404:
        return f"TT has no {name} (HTTP 404){detail}"
    if status == 429:
        return (f"TT's rate limit was hit on {name} (HTTP 429) after {conn.retries + 1} attempts{detail}; poll less "
                "often or use a larger usage plan")
    if status >= 500:
        return f"TT answered {name} with HTTP {status} after {conn.retries + 1} attempts{detail}"
    return f"TT answered {name} with HTTP {status}{detail}"

