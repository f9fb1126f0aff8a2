"""The API against its OpenAPI document, fuzzed by schemathesis as three accounts.

Against a running `haat serve`: signs in a customer, a creator (who owns SLUG) and an
admin, gives every list something to list (a contact and its lead, a review, reports of a
profile and of a contact, a started profile with a picture, a granted plan, an order, a
suspended profile, a build), then runs `st run` once per account with its bearer token,
every operation each time (another role's answer 403, as documented), in the order
customer, creator, admin: the admin's run suspends accounts and profiles, though never
the admin itself (422). Half the values drawn for a path parameter are ids and names
that exist (a generated schemathesis.toml), so operations on them get past a 404; the
links of the document take the stateful phase from lists to their items.

Each operation of each run is one result: it passes when no response was a 5xx, had a
status or content type the document does not declare, a body or header that does not
match it, or was anything but 405 with the documented methods in Allow for a method the
path does not accept. Schemathesis leaves out GET /openapi.json, the document itself.

Usage: schemathesis_run.py SITE_URL ST REPORT_DIR SLUG
         CUSTOMER_EMAIL PASSWORD customer CREATOR_EMAIL PASSWORD creator ADMIN_EMAIL PASSWORD admin
         PICTURE
Prints each failure with schemathesis' reproduction and ends with
"schemathesis: N passed, N failed". HAAT_OPENAPI_FILE checks a document being edited
against the running server, without rebuilding it.
"""
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree

site, st, report_dir, slug = sys.argv[1:5]
accounts = {sys.argv[i + 2]: (sys.argv[i], sys.argv[i + 1]) for i in range(5, 14, 3)}
picture = sys.argv[14]
api = site + "/api/v1"

CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_schema_conformance", "response_headers_conformance",
    # API.md: any other method on a documented path is 405 with Allow, listing exactly
    # the documented methods.
    "unsupported_method", "allow_header_conformance",
])
# Fixed, so a failure found once is found again by the next run.
SEED = 17
# Per operation and phase; with three accounts and 52 operations this keeps the whole
# stage within about three minutes on two cores.
MAX_EXAMPLES = 30

passed = failed = 0


def result(ok, name, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("✘ %s%s" % (name, (": " + detail) if detail else ""))


def call(method, path, token=None, body=None, content_type="application/json"):
    """(status, parsed JSON or None) of one request to the API."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(api + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", content_type)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, None


def seed(step, expected, method, path, token=None, body=None, **options):
    status, answer = call(method, path, token, body, **options)
    result(status == expected, "seed: " + step, "" if status == expected else "%s %s answered %s: %s" % (method, path, status, answer))
    return answer or {}


sessions = {}
for role, (email, password) in accounts.items():
    sessions[role] = seed("%s signs in" % role, 200, "POST", "/auth/login", body={"email": email, "password": password})
token = {role: session.get("access_token") for role, session in sessions.items()}
customer_id = sessions["customer"].get("user", {}).get("id", "")
creator_id = sessions["creator"].get("user", {}).get("id", "")

contact = seed("the customer reveals the creator's number", 200, "POST", "/creators/%s/contact" % slug, token["customer"],
               {"service": "A birthday cake", "message": "For Saturday, please call back.", "callback_phone": "+91 98220 12345"})
contact_id = contact.get("contact_id", "")
seed("the customer reviews that contact", 201, "POST", "/contacts/%s/review" % contact_id, token["customer"],
     {"rating": 4, "text": "Lovely cake, on time."})
seed("the customer reports a profile", 201, "POST", "/reports", token["customer"], {"creator_slug": slug, "reason": "other"})
seed("the creator reports the lead as spam", 201, "POST", "/reports", token["creator"], {"contact_id": contact_id, "reason": "spam",
                                                                                        "details": "Not a real order."})
seed("the creator moves the lead on", 200, "PATCH", "/creator/leads/%s" % contact_id, token["creator"], {"status": "responded"})
seed("the creator starts a profile", 201, "POST", "/creator/profiles", token["creator"],
     {"slug": "schemathesis-studio", "name": "Schemathesis Studio", "category": "cakes", "city": "pune"})
with open(picture, "rb") as file:
    uploaded = seed("the creator adds a picture to it", 201, "POST", "/creator/profiles/schemathesis-studio/images?name=cake.jpg",
                    token["creator"], file.read(), content_type="image/jpeg")
seed("the customer starts an order", 201, "POST", "/payments/orders", token["customer"], {"plan_id": "month"})
granted = seed("the admin grants the customer a plan", 200, "POST", "/admin/users/%s/grant" % customer_id, token["admin"],
               {"plan_id": "month"})
reports = seed("the admin lists the reports", 200, "GET", "/admin/reports", token["admin"]).get("items", [])
if reports:
    seed("the admin dismisses a report", 200, "POST", "/admin/reports/%s/resolve" % reports[-1]["report_id"], token["admin"],
         {"action": "dismiss", "note": "Checked."})
reviews = seed("the admin lists the reviews", 200, "GET", "/admin/reviews", token["admin"]).get("items", [])
if reviews:
    seed("the admin approves the review", 200, "POST", "/admin/reviews/%s/approve" % reviews[0]["review_id"], token["admin"])
others = [item["slug"] for item in seed("the admin lists the creators", 200, "GET", "/admin/creators", token["admin"]).get("items", [])
          if item["slug"] not in (slug, "schemathesis-studio")]
if others:
    seed("the admin suspends another profile", 200, "POST", "/admin/creators/%s/suspend" % others[0], token["admin"],
         {"reason": "Seen as a duplicate."})
build = seed("the admin requests a rebuild", 202, "POST", "/admin/rebuild", token["admin"])

# Half the values schemathesis draws for a path parameter are these (the other half are
# its own): ids and names that exist, so the operations on them get past a 404.
known = {
    "slug": [slug, "schemathesis-studio"] + others[:1],
    "contact_id": [contact_id],
    "id": [customer_id, creator_id, granted.get("subscription", {}).get("id")] + [item["report_id"] for item in reports]
          + [item["review_id"] for item in reviews],
    "build_id": [build.get("build_id")],
    "name": [os.path.basename(picture), uploaded.get("name")],
}
config = os.path.join(report_dir, "schemathesis.toml")
os.makedirs(report_dir, exist_ok=True)
with open(config, "w") as file:
    for name, values in known.items():
        file.write("[dictionaries.%s]\nvalues = %s\n" % (name.replace("_", "-"), json.dumps([value for value in values if value])))
    file.write("[parameters]\n")
    for name in known:
        file.write('"path.%s" = { dictionary = "%s", probability = 0.5 }\n' % (name, name.replace("_", "-")))


def documented_operations(location):
    """"METHOD /path" of every operation of the document schemathesis reads."""
    if location.startswith("http"):
        with urllib.request.urlopen(location, timeout=30) as response:
            document = json.load(response)
    else:
        with open(location) as file:
            document = json.load(file)
    return {method.upper() + " " + path for path, item in document["paths"].items() for method in item if method != "parameters"}


def fuzz(role, location):
    """Runs schemathesis as `role`; one result per operation."""
    junit = os.path.join(report_dir, role + ".xml")
    command = [st, "--config-file", config, "run", location, "--url", api, "--header", "Authorization: Bearer " + token[role],
               "--checks", CHECKS, "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED),
               # One worker: CPython 3.11 can fail parsing in two threads at once ("AST constructor recursion
               # depth mismatch"), and the requests take a few milliseconds each anyway.
               "--workers", "1",
               "--request-timeout", "30", "--report", "junit", "--report-junit-path", junit,
               # Nothing remembered between runs: each run is the seed's alone.
               "--generation-database", "none",
               "--no-color", "--output-truncate", "true"]
    # In the report folder, where its caches go too (not the work tree).
    run = subprocess.run(command, capture_output=True, text=True, cwd=report_dir)
    output = run.stdout + run.stderr
    try:
        cases = list(ElementTree.parse(junit).getroot().iter("testcase"))
    except (OSError, ElementTree.ParseError) as error:
        result(False, "%s: schemathesis ran" % role, "no report (%s); its output:\n%s" % (error, output[-4000:]))
        return
    bad = 0
    for case in cases:
        problems = case.findall("failure") + case.findall("error")
        bad += bool(problems)
        result(not problems, "%s: %s" % (role, case.get("name")),
               "\n".join((problem.get("message") or "") + "\n" + (problem.text or "") for problem in problems).strip())
    # Schemathesis leaves out the document's own address; any other operation it did not
    # test (a document it could not read whole) is a failure.
    for label in sorted(documented_operations(location) - {case.get("name") for case in cases} - {"GET /openapi.json"}):
        result(False, "%s: %s" % (role, label), "not tested")
    generated = re.search(r"(\d+) generated", output)
    operations = sum(case.get("name") != "Stateful tests" for case in cases)
    print("schemathesis as %s: %d operations and the stateful phase, %s test cases, %d failed (exit %d)"
          % (role, operations, generated.group(1) if generated else "?", bad, run.returncode))
    # Its warnings say where the document could help it go deeper (operations it could not
    # get past a 404, or whose bodies the server mostly refused), then its summary. Left
    # out: the operations of other roles that answered only 403, as they should.
    lines, skipping = [], False
    for section in ("WARNINGS", "SUMMARY"):
        marker = "=== %s ===" % section
        if marker in output:
            text = output[output.index(marker):].split("\n", 1)[1]
            lines += (text.split("\n===", 1)[0] if section == "WARNINGS" else text).splitlines()
    for line in lines:
        skipping = skipping or line.startswith("Authentication failed:")
        if line.strip() and not skipping:
            print("  " + line.rstrip())
        skipping = skipping and not line.startswith("💡 Ensure valid authentication")
    if run.returncode != 0 and bad == 0:
        result(False, "%s: schemathesis exited %d" % (role, run.returncode), output[-4000:])


location = os.path.abspath(os.environ["HAAT_OPENAPI_FILE"]) if os.environ.get("HAAT_OPENAPI_FILE") else api + "/openapi.json"
for role in ("customer", "creator", "admin"):
    fuzz(role, location)
print("schemathesis: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
