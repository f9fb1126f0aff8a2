"""Web Push checked from outside, with implementations that are not Haat's: a real
`haat serve --demo` (its generated VAPID key; HAAT_PUSH_ALLOW_PRIVATE=1 so that it may
push to loopback) sends each new lead to a push service faked here, which checks the
VAPID header with py-vapid and decrypts the body with http-ece (RFC 8291, aes128gcm).

- the decrypted message is {"type": "lead", "seq", "lead"} with the lead as the inbox has it;
- the JWT is for the push service's origin, expires within 24 hours, names a subject;
- a 410 removes the subscription; a 503 is retried and the lead still arrives;
- a server killed with SIGKILL after the reveal, before the push got through, delivers it
  once restarted.

Usage: push_flow.py HAAT WORK (WORK holds content/, haat.sqlite and site/ of the sample,
built by scripts/sample-site.sh). Prints "push: N passed, N failed".
"""
import base64
import http.server
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

haat, work = sys.argv[1:3]
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print("✔ push: %s" % name)
    else:
        failed += 1
        print("✘ push: %s %s" % (name, detail))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# ---- The push service: POST /push/<name>, answered 201 or as scripted ----

class PushService(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), PushHandler)
        self.received = {}   # name -> [(headers, body)]
        self.scripted = {}   # name -> [status, ...] answered before 201
        self.lock = threading.Lock()

    @property
    def origin(self):
        return "http://127.0.0.1:%d" % self.server_address[1]


class PushHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        name = self.path.rsplit("/", 1)[-1]
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            self.server.received.setdefault(name, []).append((dict((k.lower(), v) for k, v in self.headers.items()), body))
            queue = self.server.scripted.get(name) or []
            status = queue.pop(0) if queue else 201
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Browser:
    """A browser's side of a subscription: a P-256 key pair and an auth secret."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    def subscription(self, endpoint):
        point = self.key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": endpoint, "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)}}

    def decrypt(self, body):
        return http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm")


# ---- haat serve ----

def start_server():
    environment = dict(os.environ, HAAT_PUSH_ALLOW_PRIVATE="1", HAAT_PHONE_VERIFICATION="off",
                       HAAT_VAPID_PRIVATE_KEY=vapid_key, HAAT_VAPID_SUBJECT="mailto:ops@haat.example")
    log = open(os.path.join(work, "serve.log"), "a")
    process = subprocess.Popen([haat, "serve", "--demo", "--port", "0", "--db", os.path.join(work, "haat.sqlite"),
                                "--content", os.path.join(work, "content"), "--site", os.path.join(work, "site")],
                               stdout=subprocess.PIPE, stderr=log, text=True, env=environment)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = process.stdout.readline()
        match = re.search(r"on http://127\.0\.0\.1:(\d+)/", line)
        if match:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # drain
            return process, "http://127.0.0.1:%s/api/v1/" % match.group(1)
    raise RuntimeError("haat serve did not start; see %s/serve.log" % work)


def call(api, method, path, body=None, token=None):
    request = urllib.request.Request(api + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
            return response.status, json.loads(text) if text else {}
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        return error.code, json.loads(text) if text else {}


def eventually(condition, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def vapid_claims(header):
    """py-vapid's verification of the signature with the key in the header, then the claims."""
    if not Vapid02.verify(header):
        return None
    token = re.match(r"vapid t=([^,]+),\s*k=", header).group(1)
    return json.loads(unb64url(token.split(".")[1]))


# The server's key, kept across the restart (as an operator's is): a generated P-256 key.
vapid_key = b64url(ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value.to_bytes(32, "big"))

# A creator whose email a sample profile names (created by the operator: it owns the
# profile at once) and a customer.
creator_dir = os.path.join(work, "content", "creators")
slug = sorted(os.listdir(creator_dir))[0]
account = re.search(r"^account:\s*(\S+)", open(os.path.join(creator_dir, slug, "index.md"), encoding="utf-8").read(), re.M).group(1)
subprocess.run([haat, "admin", "create-user", "--db", os.path.join(work, "haat.sqlite"), "--email", account, "--password",
                "push flow password", "--name", "Push Creator", "--role", "creator"], check=True, stdout=subprocess.DEVNULL)

service = PushService()
threading.Thread(target=service.serve_forever, daemon=True).start()
server, api = start_server()
try:
    status, session = call(api, "POST", "auth/login", {"email": account, "password": "push flow password"})
    creator = session["access_token"]
    status, key = call(api, "GET", "creator/push/key", token=creator)
    check("the server gives its VAPID public key", status == 200 and len(unb64url(key.get("vapid_public_key", ""))) == 65, key)

    browsers = {name: Browser() for name in ("phone", "gone", "busy", "later")}
    for name, browser in browsers.items():
        status, body = call(api, "POST", "creator/push/subscriptions", browser.subscription(service.origin + "/push/" + name), token=creator)
        check("the %s subscribes" % name, status == 201 and body.get("subscription_id"), body)
    service.scripted["gone"] = [410]
    service.scripted["busy"] = [503]

    status, body = call(api, "POST", "auth/register", {"email": "push-customer@example.com", "password": "push flow password", "name": "Kiran Rao"})
    customer = body["access_token"]
    status, reveal = call(api, "POST", "creators/%s/contact" % slug, {"service": "Birthday cake", "message": "Saturday evening, 2 kg"}, token=customer)
    check("the customer reveals the creator's number", status == 200, reveal)

    check("the lead reaches the phone's push service", eventually(lambda: service.received.get("phone")))
    headers, body = service.received["phone"][0]
    claims = vapid_claims(headers.get("authorization", ""))
    check("py-vapid verifies the VAPID signature with the key the server gave", claims is not None and
          key["vapid_public_key"] in headers.get("authorization", ""), headers.get("authorization"))
    claims = claims or {}
    check("the JWT is for the push service's origin", claims.get("aud") == service.origin, claims)
    check("it expires within 24 hours", 0 < claims.get("exp", 0) - time.time() <= 24 * 3600, claims)
    check("it names the operator as subject", claims.get("sub") == "mailto:ops@haat.example", claims)
    check("TTL, Urgency and the content encoding are as API.md says",
          headers.get("ttl") == "86400" and headers.get("urgency") == "high" and headers.get("content-encoding") == "aes128gcm", headers)
    try:
        message = json.loads(browsers["phone"].decrypt(body))
    except Exception as error:  # a failure to decrypt is the finding
        message = {"error": str(error)}
    status, inbox = call(api, "GET", "creator/leads", token=creator)
    check("http-ece decrypts it to the lead as the inbox has it",
          message.get("type") == "lead" and message.get("seq") == 1 and inbox.get("items") and message.get("lead") == inbox["items"][0],
          "%s vs %s" % (message, inbox))

    check("a 503 is retried and the lead arrives", eventually(lambda: len(service.received.get("busy", [])) == 2, 30))
    if len(service.received.get("busy", [])) == 2:
        check("the retried message decrypts too", json.loads(browsers["busy"].decrypt(service.received["busy"][1][1]))["seq"] == 1)

    def subscriptions():
        return {item["subscription_id"] for item in call(api, "GET", "creator/push/subscriptions", token=creator)[1].get("items", [])}
    check("a 410 removes the subscription", eventually(lambda: len(subscriptions()) == 3), subscriptions())

    # Killed between the reveal and the push: the "later" device's service is down (503)
    # when the lead is made, the server is killed, and the restarted one delivers it.
    service.scripted["later"] = [503] * 1000
    status, body = call(api, "POST", "auth/register", {"email": "push-customer-2@example.com", "password": "push flow password", "name": "Meera"})
    status, reveal = call(api, "POST", "creators/%s/contact" % slug, {"service": "Cupcakes"}, token=body["access_token"])
    eventually(lambda: len(service.received.get("later", [])) >= 2, 10)
    server.send_signal(signal.SIGKILL)
    server.wait()
    refused = len(service.received.get("later", []))
    service.scripted["later"] = []
    server, api = start_server()
    check("after SIGKILL and a restart, the waiting lead is delivered",
          eventually(lambda: len(service.received.get("later", [])) > refused, 40) and
          json.loads(browsers["later"].decrypt(service.received["later"][refused][1])).get("seq") == 2)
finally:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    service.shutdown()

print("push: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
