"""Stand-ins for the providers in tests: small HTTP servers on a loopback port that speak each
provider's documented requests and answers, errors included, and record what they received.

- ``ZaloStub``: ZNS ``POST /message/template`` (header ``access_token``) and the OAuth refresh
  ``POST /v4/oa/access_token`` (header ``secret_key``, form ``app_id``, ``refresh_token``,
  ``grant_type``). Refresh tokens are single-use, as Zalo's are.
- ``SmsStub``: eSMS.vn's ``SendMultipleMessage_V4_post_json``, refusing a repeated
  ``RequestId`` with code 124 as eSMS does.

Both take scripted failures: ``fail_next(kind, times)`` with kind ``timeout`` (the answer comes
after the client's timeout), ``quota``, ``server_error`` (HTTP 500); and ``invalid_phones``.

Both report deliveries back over HTTP, shortly after answering, as the providers do:
``SmsStub`` calls the ``CallbackUrl`` the message carried (a GET with eSMS's fields; ``undelivered``
phones get a failure report); ``ZaloStub`` POSTs a signed ``user_received_message`` event to its
``webhook_url`` (set by the test, as an operator sets it in Zalo's console). ``reports`` lists
each report made and the status it was answered with.
"""

import hashlib
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if "json" in (self.headers.get("Content-Type") or ""):
            body = json.loads(raw or b"{}")
        else:
            body = dict(urllib.parse.parse_qsl(raw.decode()))
        # Header names are case-insensitive (urllib sends "Access_token"): the stub reads them lower-cased.
        headers = {key.lower(): value for key, value in self.headers.items()}
        status, answer, delay = self.server.stub.handle(self.path, headers, body)
        if delay:
            time.sleep(delay)
        if self.server.stub.report_before_answer:
            self.server.stub.send_reports(wait=True)
        payload = json.dumps(answer).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout) or was killed
        self.server.stub.send_reports()

    def log_message(self, *args):
        pass


class StubServer:
    """Start with ``with Stub() as stub:``; ``stub.url`` is its base URL."""

    def __init__(self, timeout_delay: float = 3.0):
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.failures: list[str] = []
        self.invalid_phones: set[str] = set()
        self.delay = 0.0  # every answer this late (a slow provider)
        self.timeout_delay = timeout_delay
        self.report_delay = 0.05  # a delivery report this long after the answer
        # A fast provider: the report is made (and answered) before the answer to the send.
        self.report_before_answer = False
        self.reports: list[dict] = []  # {"url", "method", "body", "status"} of each report made
        self._outbox: list[tuple] = []

    def __enter__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.stub = self
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        host, port = self.server.server_address
        self.url = f"http://{host}:{port}"
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def queue_report(self, url: str, *, method: str = "GET", body: bytes = b"", headers=None) -> None:
        """Report to ``url`` once the current answer has gone out (call under ``self.lock``)."""
        self._outbox.append((url, method, body, dict(headers or {})))

    def send_reports(self, wait: bool = False) -> None:
        with self.lock:
            outbox, self._outbox = self._outbox, []
        for report in outbox:
            if wait:
                self._report(*report)
            else:
                threading.Thread(target=self._report, args=report, daemon=True).start()

    def _report(self, url, method, body, headers) -> None:
        time.sleep(self.report_delay)
        request = urllib.request.Request(url, data=body or None, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (the test's server)
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError as error:
            status = f"{type(error).__name__}: {error}"
        with self.lock:
            self.reports.append({"url": url, "method": method, "body": body, "status": status})

    def wait_for_reports(self, count: int, timeout: float = 10) -> list[dict]:
        """The reports made, once there are ``count`` of them (or ``timeout`` seconds passed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.reports) >= count:
                    return list(self.reports)
            time.sleep(0.02)
        with self.lock:
            return list(self.reports)

    def fail_next(self, kind: str, times: int = 1) -> None:
        with self.lock:
            self.failures.extend([kind] * times)

    def _scripted(self) -> str:
        with self.lock:
            return self.failures.pop(0) if self.failures else ""

    def handle(self, path, headers, body):
        with self.lock:
            self.requests.append({"path": path, "headers": headers, "body": body, "at": time.time()})
        failure = self._scripted()
        if failure == "timeout":
            return (*self.answer(path, headers, body, record=False), self.timeout_delay)
        if failure == "server_error":
            return 500, {"message": "internal error"}, 0
        if failure == "quota":
            return (*self.quota(), self.delay)
        return (*self.answer(path, headers, body, record=True), self.delay)


class ZaloStub(StubServer):
    APP_ID, SECRET_KEY = "1234567890", "zalo-app-secret"
    OA_SECRET_KEY = "zalo-oa-secret"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.access_tokens = {"access-1"}
        self.refresh_tokens = {"refresh-1"}
        self.expired_tokens: set[str] = set()
        self.issued = 1
        self.sent: list[dict] = []  # the ZNS messages accepted (and so delivered to the phone)
        self.webhook_url = ""  # where delivery events go (the OA's webhook in Zalo's console)
        self.oa_secret_key = self.OA_SECRET_KEY

    def expire_access_token(self) -> None:
        with self.lock:
            self.expired_tokens |= self.access_tokens
            self.access_tokens = set()

    def quota(self):
        return 200, {"error": -144, "message": "OA has exceeded the daily quota of ZNS messages"}

    def answer(self, path, headers, body, record):
        with self.lock:
            if path.endswith("/v4/oa/access_token"):
                return self._refresh(headers, body)
            token = headers.get("access_token", "")
            if token in self.expired_tokens or token not in self.access_tokens:
                return 200, {"error": -124, "message": "Access token is invalid"}
            if body.get("phone") in self.invalid_phones:
                return 200, {"error": -108, "message": "Phone number is invalid"}
            if not body.get("template_id"):
                return 200, {"error": -109, "message": "Template id is invalid"}
            msg_id = f"zns-{len(self.sent) + 1}"
            if record:
                self.sent.append({**body, "msg_id": msg_id})
                if self.webhook_url:
                    self._delivery_event(msg_id, body.get("tracking_id", ""))
            return 200, {"error": 0, "message": "Success", "data": {"msg_id": msg_id, "sent_time": "0"}}

    def _delivery_event(self, msg_id: str, tracking_id: str) -> None:
        timestamp = str(int(time.time() * 1000))
        event = {
            "app_id": self.APP_ID,
            "oa_id": "579745863508352884",
            "user_id_by_app": "552177279717587730",
            "event_name": "user_received_message",
            "timestamp": timestamp,
            "sender": {"id": "579745863508352884"},
            "recipient": {"id": "2512523625412515"},
            "message": {"msg_id": msg_id, "tracking_id": tracking_id, "delivery_time": timestamp},
        }
        raw = json.dumps(event).encode()
        self.queue_report(
            self.webhook_url,
            method="POST",
            body=raw,
            headers={
                "Content-Type": "application/json",
                "X-ZEvent-Signature": zalo_signature(raw, self.APP_ID, timestamp, self.oa_secret_key),
            },
        )

    def _refresh(self, headers, body):
        if headers.get("secret_key") != self.SECRET_KEY or body.get("app_id") != self.APP_ID:
            return 200, {
                "error": -14002,
                "error_name": "Invalid app",
                "error_description": "invalid secret key",
            }
        if body.get("grant_type") != "refresh_token" or body.get("refresh_token") not in self.refresh_tokens:
            return 200, {"error": -14014, "error_description": "Invalid refresh token"}
        self.refresh_tokens.discard(body["refresh_token"])  # single-use
        self.issued += 1
        access, refresh = f"access-{self.issued}", f"refresh-{self.issued}"
        self.access_tokens.add(access)
        self.refresh_tokens.add(refresh)
        return 200, {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}


class SmsStub(StubServer):
    API_KEY, SECRET_KEY = "esms-api-key", "esms-secret"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sent: list[dict] = []
        self.request_ids: set[str] = set()
        self.undelivered_phones: set[str] = set()  # accepted, then reported not delivered

    def quota(self):
        return 200, {"CodeResult": "103", "ErrorMessage": "Balance not enough to send message"}

    def answer(self, path, headers, body, record):
        with self.lock:
            if body.get("ApiKey") != self.API_KEY or body.get("SecretKey") != self.SECRET_KEY:
                return 200, {"CodeResult": "101", "ErrorMessage": "Login failed (ApiKey or SecretKey)"}
            if body.get("Phone") in self.invalid_phones:
                return 200, {"CodeResult": "108", "ErrorMessage": "Phone number is not in correct format"}
            request_id = body.get("RequestId") or ""
            if request_id and request_id in self.request_ids:
                return 200, {"CodeResult": "124", "ErrorMessage": "Duplicate RequestId"}
            if record:
                self.request_ids.add(request_id)
                self.sent.append(body)
            sms_id = f"sms-{len(self.sent)}"
            if record and body.get("CallbackUrl"):
                self._delivery_report(body, sms_id)
            return 200, {"CodeResult": "100", "CountRegenerate": 0, "SMSID": sms_id}

    def _delivery_report(self, body: dict, sms_id: str) -> None:
        delivered = body.get("Phone") not in self.undelivered_phones
        fields = {
            "SMSID": sms_id,
            "SendFailed": "0" if delivered else "1",
            "SendStatus": "5",
            "SendSuccess": "1" if delivered else "0",
            "TotalPrice": "0.0000",
            "TotalReceiver": "1",
            "TotalSent": "1",
            "RequestId": body.get("RequestId") or "",
            "TypeId": body.get("SmsType") or "2",
            "telcoid": "1",
            "phonenumber": "0" + str(body.get("Phone", ""))[2:],
        }
        separator = "&" if "?" in body["CallbackUrl"] else "?"
        self.queue_report(body["CallbackUrl"] + separator + urllib.parse.urlencode(fields))


def zalo_signature(raw_body: bytes, app_id: str, timestamp: str, oa_secret_key: str) -> str:
    """Zalo's ``X-ZEvent-Signature``, computed here independently of the code under test."""
    return (
        "mac=" + hashlib.sha256(f"{app_id}{raw_body.decode()}{timestamp}{oa_secret_key}".encode()).hexdigest()
    )


def zalo_settings(stub: ZaloStub, templates: dict | None = None) -> dict:
    """``NOTIFY_ZALO`` pointing at ``stub`` (for the test's ``settings`` fixture)."""
    return {
        "app_id": stub.APP_ID,
        "secret_key": stub.SECRET_KEY,
        "access_token": "access-1",
        "refresh_token": "refresh-1",
        "api_url": f"{stub.url}/message/template",
        "oauth_url": f"{stub.url}/v4/oa/access_token",
        "oa_secret_key": stub.OA_SECRET_KEY,
        "permanent_codes": [-108, -109, -111, -112, -117, -118, -119, -131, -139],
        "templates": templates
        if templates is not None
        else {"reminder": "301001", "certificate_ready": "301002", "manager_summary": "301003"},
    }


def sms_settings(stub: SmsStub, **overrides) -> dict:
    return {
        "url": f"{stub.url}/MainService.svc/json/SendMultipleMessage_V4_post_json/",
        "api_key": stub.API_KEY,
        "secret_key": stub.SECRET_KEY,
        "brandname": "CONGDOANHN",
        "sms_type": "2",
        "unaccented": True,
        "sandbox": False,
        "success_codes": ["100"],
        "duplicate_codes": ["124"],
        "permanent_codes": ["99", "101", "102", "104", "108", "118", "140", "146", "177"],
        "templates": {},
        **overrides,
    }
