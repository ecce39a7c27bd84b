#!/usr/bin/env python3
"""Undersigned to CiviCRM: a webhook receiver that files each confirmed signature as a contact
(matched by email address, else created with its email chained), a "Petition Signature" activity
marked with the signature's identifier (so that a delivery received twice files it once), and,
for signers who asked for news, a place in your newsletter group. A withdrawn signature's
activity is cancelled. See docs/api.md, "Syncing signers into CiviCRM".

Python 3.9+, standard library only. Run it behind your https reverse proxy, and register
https://YOUR-HOST/ on the campaign's Webhooks page with "A signature is confirmed", "A confirmed
signature is withdrawn" and personal data ticked. Environment:

  UNDERSIGNED_WEBHOOK_SECRET  the whsec_... secret the Webhooks page showed
  CIVICRM_API4                https://crm.example.org/civicrm/ajax/api4 (WordPress:
                              https://crm.example.org/wp-admin/admin.php?page=CiviCRM&q=civicrm/ajax/api4)
  CIVICRM_API_KEY             the API key of a CiviCRM user allowed to edit contacts and activities
                              (sent as X-Civi-Auth: Bearer, the AuthX extension)
  CIVICRM_GROUP_ID            the id of the newsletter group (optional)
  PORT                        where to listen on 127.0.0.1 (default 8000)
"""

import base64
import hashlib
import hmac
import json
import os
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = base64.b64decode(os.environ["UNDERSIGNED_WEBHOOK_SECRET"].removeprefix("whsec_"))
API4 = os.environ["CIVICRM_API4"].rstrip("/")
API_KEY = os.environ["CIVICRM_API_KEY"]
GROUP = os.environ.get("CIVICRM_GROUP_ID")


def verified(headers, body):
    """The Standard Webhooks signature, and a timestamp within five minutes (no replays)."""
    msg_id, ts = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "")
    if not ts.isdigit() or abs(time.time() - int(ts)) > 300:
        return False
    mac = hmac.new(SECRET, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(mac).decode()
    return any(hmac.compare_digest(expected, s) for s in headers.get("webhook-signature", "").split())


def civi(entity, action, params):
    """One APIv4 call over REST: POST civicrm/ajax/api4/ENTITY/ACTION with params=JSON."""
    url = f"{API4}/{entity}/{action}"
    data = urllib.parse.urlencode({"params": json.dumps(params)}).encode()
    headers = {"X-Civi-Auth": f"Bearer {API_KEY}", "X-Requested-With": "XMLHttpRequest"}
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=10) as r:
        return json.load(r)["values"]


def activities(marker):
    return civi("Activity", "get", {"select": ["id"], "where": [["location", "=", marker]]})


def signature_confirmed(data):
    signature = data["osdi:signature"]
    person = signature.get("person")
    if person is None:  # an endpoint without personal data, or a signature withdrawn meanwhile
        return
    marker = signature["identifiers"][0]  # undersigned:signature-42: the same in every delivery of it
    if activities(marker):
        return  # filed before: this is a delivery received again
    email = person["email_addresses"][0]
    found = civi("Contact", "get", {
        "select": ["id"],
        "join": [["Email AS email", "INNER"]],
        "where": [["email.email", "=", email["address"]]],
        "limit": 1,
    })
    if found:
        contact = found[0]["id"]
    else:
        contact = civi("Contact", "create", {
            # The name as the signer typed it, whole: Undersigned does not split names.
            "values": {"contact_type": "Individual", "first_name": person["given_name"],
                       "source": "Undersigned: " + data["campaign"]["slug"]},
            "chain": {"email": ["Email", "create", {"values": {
                "contact_id": "$id", "email": email["address"], "is_primary": True}}]},
        })[0]["id"]
    civi("Activity", "create", {"values": {
        "activity_type_id:name": "Petition",  # labelled "Petition Signature"
        "status_id:name": "Completed",
        "source_contact_id": contact,
        "target_contact_id": [contact],
        "subject": data["campaign"]["slug"],
        "location": marker,
        "activity_date_time": signature["action_date"][:19].replace("T", " "),  # UTC
        "details": signature.get("comments", ""),
    }})
    # Only those who asked for news: Undersigned sends "subscribed" for them alone.
    if GROUP and email.get("status") == "subscribed":
        civi("GroupContact", "save", {
            "records": [{"contact_id": contact, "group_id": int(GROUP), "status": "Added"}],
            "match": ["contact_id", "group_id"],
        })


def signature_withdrawn(data):
    for activity in activities(data["osdi:signature"]["identifiers"][0]):
        civi("Activity", "update", {"where": [["id", "=", activity["id"]]],
                                    "values": {"status_id:name": "Cancelled"}})


HANDLERS = {"signature.confirmed": signature_confirmed, "signature.withdrawn": signature_withdrawn}


class Receiver(BaseHTTPRequestHandler):
    def answer(self, status):
        self.send_response(status)
        self.end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        if not verified(self.headers, body):
            return self.answer(401)
        event = json.loads(body)
        try:
            HANDLERS.get(event["type"], lambda data: None)(event["data"])
        except Exception as e:  # CiviCRM away or refusing: Undersigned tries again later
            self.log_error("%s: %s", event["data"]["idempotency_key"], e)
            return self.answer(503)
        self.answer(204)


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8000"))), Receiver).serve_forever()
