"""A minimal W3C WebDriver client on the standard library, for Haat's browser tests.

chromedriver speaks JSON over HTTP; this is all the tests need of it, with no package
to install beyond Debian's chromium and chromium-driver.
"""
import http.client
import json
import time
import urllib.parse
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class WebDriverError(Exception):
    pass


class Browser:
    def __init__(self, driver_url):
        self.driver_url = driver_url.rstrip("/")
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:loggingPrefs": {"browser": "ALL"}, "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=412,1200"]}}}}
        self.session = self._call("POST", "/session", caps)["sessionId"]

    def _call(self, method, path, body=None):
        if body is None and method == "POST":
            body = {}  # WebDriver wants a JSON body on every POST
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.driver_url + path, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"{}").get("value", {})
        except urllib.error.HTTPError as error:
            raise WebDriverError(error.read().decode(errors="replace")) from None

    def _session(self, method, path, body=None):
        return self._call(method, "/session/" + self.session + path, body)

    def go(self, url):
        self._session("POST", "/url", {"url": url})


    def sign_in(self, url, email, password):
        """Signs in with the account page's form at `url` (/account/, maybe with ?next=)."""
        self.go(url)
        self.type('[data-form="login"] input[name="email"]', email)
        self.type('[data-form="login"] input[name="password"]', password)
        self.click('[data-form="login"] button')
    def resize(self, width, height):
        """The window's size, as a phone's or a desktop's."""
        self._session("POST", "/window/rect", {"width": width, "height": height})

    def url(self):
        return self._session("GET", "/url")

    def find(self, css, timeout=5.0):
        """The first element matching `css`, waiting up to `timeout` seconds for it."""
        deadline = time.time() + timeout
        while True:
            found = self._session("POST", "/elements", {"using": "css selector", "value": css})
            visible = [e for e in found if self._session("GET", "/element/%s/displayed" % e[ELEMENT])]
            if visible:
                return visible[0][ELEMENT]
            if time.time() > deadline:
                raise WebDriverError("no visible element matches %r on %s" % (css, self.url()))
            time.sleep(0.05)

    def click(self, css):
        self._session("POST", "/element/%s/click" % self.find(css))

    def type(self, css, text):
        self._session("POST", "/element/%s/value" % self.find(css), {"text": text})

    def text(self, css, timeout=5.0):
        return self._session("GET", "/element/%s/text" % self.find(css, timeout))

    def text_containing(self, css, needle, timeout=5.0):
        """The text of `css` once it contains `needle` (or, after `timeout`, whatever it is)."""
        deadline = time.time() + timeout
        while True:
            try:
                text = self.text(css, 0.2)
            except WebDriverError:
                text = ""
            if needle in text or time.time() > deadline:
                return text
            time.sleep(0.05)

    def attribute(self, css, name):
        return self._session("GET", "/element/%s/attribute/%s" % (self.find(css), name))

    def script(self, source):
        """Runs `source` (a function body) in the page and returns its value."""
        return self._session("POST", "/execute/sync", {"script": source, "args": []})

    def wait_for(self, source, timeout=10.0):
        """Runs `source` until it returns something truthy, or `timeout` passes; its last value."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.script(source)
            if value:
                return value
            time.sleep(0.1)
        return self.script(source)

    def script_async(self, source, timeout=30.0):
        """Runs `source` (a function body that calls arguments[arguments.length - 1] with its
        result) in the page and returns what it passed."""
        self._session("POST", "/timeouts", {"script": int(timeout * 1000)})
        return self._session("POST", "/execute/async", {"script": source, "args": []})

    def cdp(self, command, params=None):
        """A Chrome DevTools Protocol command (throttling, the cache, geolocation)."""
        return self._session("POST", "/goog/cdp/execute", {"cmd": command, "params": params or {}})

    def cookies(self):
        """Every cookie the browser holds, HttpOnly ones and every path included (DevTools)."""
        return self._session("POST", "/goog/cdp/execute", {"cmd": "Network.getAllCookies", "params": {}}).get("cookies", [])

    def console(self):
        """The browser log since the last call (chromedriver's; CSP violations land here)."""
        return self._session("POST", "/se/log", {"type": "browser"})

    def quit(self):
        try:
            self._session("DELETE", "")
        except Exception:
            pass


class Checks:
    """One line per check, and the summary line the test runner reads."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print("✔ browser: %s" % name)
        else:
            self.failed += 1
            print("✘ browser: %s %s" % (name, detail))

    def stopped(self, flow, error_line):
        self.failed += 1
        print("✘ browser: the %s stopped: %s" % (flow, error_line))

    def finish(self):
        print("browser: %d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0


def api_call(site, method, path, body=None, token=None, source=None):
    """The API over plain HTTP (the site serves it under /api/v1): another person's side of
    a flow. Returns the status and the JSON body.

    `source`: another loopback address ("127.0.0.2") to send from when the site is on
    127.0.0.1 and the system has it (Linux does), as a person on another network: the
    flow's sign-ups then count against that address's registration limit (10 an hour),
    not against the one every other flow signs up from."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    where = urllib.parse.urlsplit(site)

    def send(address):
        connection = http.client.HTTPConnection(where.hostname, where.port, timeout=60, source_address=address)
        try:
            connection.request(method, "/api/v1/" + path, body=data, headers=headers)
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            connection.close()

    if source and where.hostname == "127.0.0.1":
        try:
            return send((source, 0))
        except OSError:
            pass  # no such address here: from the usual one
    return send(None)
