#!/usr/bin/env python3
"""Baseline for the README's performance table: the same job as
`authgear-migrate-bench` (phase "plan") done the obvious way in Python:
json.load the whole import document, validate every record with jsonschema
(the server's record schema for identifier=email, formats not checked), and
split the valid records into request bodies of at most 500,000 bytes.

    pip install jsonschema
    python3 scripts/bench-python.py bench-data/users-1000000-authgear.json
Prints wall seconds, records/s and peak RSS (MB)."""
import json, resource, sys, time
import jsonschema

NULLABLE_STR = {"type": ["null", "string"], "minLength": 1}
PASSWORD = {"type": "object", "additionalProperties": False, "required": ["type", "password_hash"],
            "properties": {"type": {"type": "string", "enum": ["bcrypt"]},
                           "password_hash": {"type": "string", "minLength": 1},
                           "expire_after": {"type": "string", "format": "date-time"}}}
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["email"],
    "properties": {
        "email": {"type": "string", "format": "email"},
        "phone_number": {"type": ["null", "string"], "format": "phone"},
        "preferred_username": NULLABLE_STR,
        "email_verified": {"type": "boolean"}, "phone_number_verified": {"type": "boolean"}, "disabled": {"type": "boolean"},
        "account_valid_from": {"type": "string", "format": "date-time"}, "account_valid_until": {"type": "string", "format": "date-time"},
        **{k: NULLABLE_STR for k in ["name", "given_name", "family_name", "middle_name", "nickname", "gender"]},
        **{k: {"type": ["null", "string"]} for k in ["profile", "website", "picture", "birthdate", "zoneinfo", "locale"]},
        "address": {"type": ["null", "object"]},
        "custom_attributes": {"type": "object"},
        "roles": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "groups": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "password": PASSWORD,
        "mfa": {"type": "object", "additionalProperties": False, "properties": {
            "email": {"type": ["null", "string"]}, "phone_number": {"type": ["null", "string"]}, "password": PASSWORD,
            "totp": {"type": "object", "additionalProperties": False, "required": ["secret"],
                     "properties": {"secret": {"type": "string", "minLength": 1}}}}},
    },
}

def main(path):
    start = time.perf_counter()
    with open(path, "rb") as f:
        doc = json.load(f)
    records = doc["records"] if isinstance(doc, dict) else doc
    validator = jsonschema.Draft7Validator(SCHEMA)
    valid = [r for r in records if validator.is_valid(r)]
    prefix = b'{"identifier":"email","upsert":false,"records":['
    batches, current, size = [], [], len(prefix) + 2
    for r in valid:
        b = json.dumps(r, separators=(",", ":"), ensure_ascii=False).encode()
        if current and size + len(b) + 1 > 500_000:
            batches.append(current); current, size = [], len(prefix) + 2
        current.append(b); size += len(b) + (1 if len(current) > 1 else 0)
    if current:
        batches.append(current)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"python json+jsonschema+split: {len(records)} records, {len(valid)} valid, {len(batches)} batches: "
          f"{wall:.2f} s, {len(records) / wall:.0f} records/s, peak {peak:.0f} MB")

if __name__ == "__main__":
    main(sys.argv[1])
