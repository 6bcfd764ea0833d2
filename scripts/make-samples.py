#!/usr/bin/env python3
"""Writes the bundled sample sources (deterministic): samples/legacy-users.json (an Authgear
import document with a few realistic defects), samples/legacy-users.csv and its mapping.
Hashes and secrets are random-looking but fake: they belong to nobody."""
import json, random, os

random.seed(20261128)
B64 = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
FIRST = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger",
         "Radia", "Tim", "Hedy", "John", "Katherine", "Donald", "Mary", "Guido", "Sophie", "Niklaus"]
LAST = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen",
        "Dijkstra", "Perlman", "Berners-Lee", "Lamarr", "McCarthy", "Johnson", "Knuth", "Keller", "van Rossum", "Wilson", "Wirth"]

def bcrypt_hash():
    return "$2a$10$" + "".join(random.choice(B64) for _ in range(53))

def record(i):
    first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
    r = {
        "email": f"{first.lower()}.{last.lower().replace(' ', '')}{i}@example.com",
        "email_verified": True,
        "name": f"{first} {last}",
        "given_name": first,
        "family_name": last,
        "password": {"type": "bcrypt", "password_hash": bcrypt_hash()},
    }
    if i % 3 == 0:
        r["phone_number"] = ["+85261", "+85294", "+85296", "+85297", "+85264"][i % 5] + f"{i * 7919 % 1000000:06d}"
        r["phone_number_verified"] = True
    if i % 4 == 0:
        r["custom_attributes"] = {"member_id": f"M{10000 + i}", "tier": "gold" if i % 8 == 0 else "silver"}
    if i % 5 == 0:
        r["roles"] = ["role_a"]
    if i % 6 == 0:
        r["locale"] = "en-US"
        r["zoneinfo"] = "Asia/Hong_Kong"
    return r

records = [record(i) for i in range(40)]
# Realistic defects, each the kind a legacy export really has:
records[3]["email"] = "grace.hopper3@example"            # valid for the server (a@b form) - kept valid
records[5]["email"] = "margaret.hamilton5.example.com"   # missing @
records[8]["password"]["password_hash"] = "$2a$10$tooShortHash"   # truncated bcrypt hash
records[11]["middle_name"] = ""                          # empty string is invalid (minLength 1)
records[14]["mfa"] = {"totp": {"secret": "secret"}}      # not upper-case base32
records[17]["email"] = records[2]["email"].upper()       # same user as record 2 after normalisation
records[20]["roles"] = ["admin"]                          # role that does not exist in the project
records[23]["account_valid_from"] = "2026-01-01 00:00:00" # not RFC 3339
records[26]["phone_number"] = "98765432"                 # not E.164
records[29]["department"] = "Sales"                       # not an Authgear field
records[32]["email_verified"] = "yes"                     # string instead of boolean
records[35]["disabled"] = False                           # warning only: no effect in insert

os.makedirs("samples", exist_ok=True)
with open("samples/legacy-users.json", "w") as f:
    f.write('{"identifier": "email", "upsert": false, "records": [\n')
    f.write(",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in records))
    f.write("\n]}\n")

with open("samples/legacy-users.csv", "w", newline="") as f:
    f.write("Mail,Verified,Full Name,Phone,Hash,Member,Tier,Roles,Legacy ID\r\n")
    for i in range(12):
        r = record(i)
        name = r["name"] if i != 4 else 'Ken "K" Thompson, Jr.'
        cells = [r["email"], "TRUE" if i % 2 == 0 else "false", name, r.get("phone_number", ""),
                 r["password"]["password_hash"], f"M{10000 + i}", "gold" if i % 2 else "silver", "role_a;role_b" if i % 5 == 0 else "", str(1000 + i)]
        def q(c):
            return '"' + c.replace('"', '""') + '"' if any(ch in c for ch in ',"\n') else c
        f.write(",".join(q(c) for c in cells) + "\r\n")

with open("samples/legacy-users.mapping.json", "w") as f:
    json.dump({"Mail": "email", "Verified": {"field": "email_verified", "type": "boolean"}, "Full Name": "name",
               "Phone": "phone_number", "Hash": "password.password_hash", "Member": "custom_attributes.member_id",
               "Tier": "custom_attributes.tier", "Roles": {"field": "roles", "type": "list", "separator": ";"},
               "Legacy ID": {"skip": True}}, f, indent=2)
    f.write("\n")
