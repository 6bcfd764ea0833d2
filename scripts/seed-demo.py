#!/usr/bin/env python3
"""Seeds a running authgear-migrate sandbox with existing users for the demo and the screenshots.

Importing the bundled sample (samples/legacy-users.json) afterwards gives:
  - skipped ("user exists"): records 1, 7, 13 and 19 — their emails belong to seeded users
    (with an older name and no phone number, so a re-run with upsert has something to change);
  - failed at the server, DuplicatedIdentity: records 0 and 9 — their emails are new but their
    phone numbers are login IDs of other seeded users;
  - failed at the server, UnexpectedError: record 34 — its email is both the login ID of one
    seeded user and the claim of a Google identity of another (two matches).

Usage:
  scripts/seed-demo.py [--env DIR/sandbox.env | --endpoint URL] [--extra-json FILE]
The endpoint defaults to $AUTHGEAR_ENDPOINT, then to AUTHGEAR_ENDPOINT in --env.
--extra-json FILE seeds more users from FILE (a JSON list of users in the same format).
Deterministic: the same users every time (the sandbox assigns the user ids). Seed a fresh
sandbox (or POST /_sandbox/reset first, which --reset does): seeding twice fails on the
duplicate login IDs.
"""
import argparse
import json
import os
import sys
import urllib.error
import urllib.request


def login(key, value):
    return {"type": "login_id", "key": key, "value": value}


def existing(ref, email, name):
    return {"ref": ref, "identities": [login("email", email)],
            "standard_attributes": {"email": email, "name": name}}


DEMO_USERS = [
    # Skipped on import (their emails exist); a re-run with upsert updates them.
    existing("legacy-1", "grace.ritchie1@example.com", "G. Ritchie"),
    existing("legacy-7", "dennis.dijkstra7@example.com", "D. Dijkstra"),
    existing("legacy-13", "john.berners-lee13@example.com", "J. Berners-Lee"),
    existing("legacy-19", "niklaus.mccarthy19@example.com", "N. McCarthy"),
    # Record 0 (ada.lovelace0@example.com, +85261000000): the phone belongs to someone else.
    {"ref": "phone-owner-1",
     "identities": [login("email", "ada.l@oldmail.example.org"), login("phone", "+85261000000")]},
    # Record 9 (edsger.torvalds9@example.com, +85264071271): likewise.
    {"ref": "phone-owner-2",
     "identities": [login("email", "e.torvalds@oldmail.example.org"), login("phone", "+85264071271")]},
    # Record 34: two existing identities carry its email -> the server fails it (UnexpectedError).
    existing("legacy-34", "katherine.wilson34@example.com", "Katherine Wilson"),
    {"ref": "google-34",
     "identities": [{"type": "oauth", "provider": "google", "subject": "g-1034",
                     "claims": {"email": "katherine.wilson34@example.com"}}]},
]


def endpoint_from_env_file(path):
    with open(path) as f:
        for line in f:
            key, _, value = line.strip().partition("=")
            if key == "AUTHGEAR_ENDPOINT":
                return value.strip().strip('"').strip("'")
    sys.exit(f"seed-demo: no AUTHGEAR_ENDPOINT in {path}")


def post(endpoint, path, body):
    req = urllib.request.Request(endpoint.rstrip("/") + path, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        sys.exit(f"seed-demo: POST {path} -> {e.code}: {e.read().decode(errors='replace')}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--env", help="the sandbox's sandbox.env")
    ap.add_argument("--endpoint", help="the sandbox's base URL")
    ap.add_argument("--extra-json", help="a JSON list of more users to seed")
    ap.add_argument("--reset", action="store_true", help="POST /_sandbox/reset first")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    endpoint = args.endpoint or (endpoint_from_env_file(args.env) if args.env else os.environ.get("AUTHGEAR_ENDPOINT"))
    if not endpoint:
        sys.exit("seed-demo: give --env DIR/sandbox.env or --endpoint URL (or set AUTHGEAR_ENDPOINT)")
    users = list(DEMO_USERS)
    if args.extra_json:
        with open(args.extra_json) as f:
            users += json.load(f)
    if args.reset:
        post(endpoint, "/_sandbox/reset", {})
    refs = post(endpoint, "/_sandbox/users", {"users": users})
    if not args.quiet:
        print(f"seed-demo: seeded {len(users)} users at {endpoint}", file=sys.stderr)
    return refs


if __name__ == "__main__":
    main()
