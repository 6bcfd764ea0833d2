#!/usr/bin/env python3
"""Oracle for PhoneNumbers.check: the Authgear server's phone algorithm evaluated with PyPI `phonenumbers`.

Dev-only. Usage (from the package root):
    pip install phonenumbers==9.0.43   # the version the committed files were made with
    python3 scripts/phone-oracle-check.py [--all OUT.tsv] [--fixture OUT.tsv] [--seed N]

Server algorithm (authgear-server pkg/util/phone/parser.go):
  1. input must match ^ *\\+[0-9 \\-]*$            else "not in E.164 format"
  2. phonenumbers.Parse(input, "")                else "not in E.164 format"
  3. isPossibleNumber mode: IsPossibleNumber      else "invalid phone number"
     isValidNumber mode:    IsPossibleNumber, IsValidNumber (else "invalid phone number"),
                            then input == E.164   else "not in E.164 format"

Each TSV line: input, verdict(isValidNumber), verdict(isPossibleNumber), e164, region
(verdict is valid / notE164 / invalid; e164 and region are empty when parsing failed; region is
GetRegionCodeForNumber or empty). Inputs never contain tabs or newlines.
"""
import argparse
import random
import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

PRECHECK = re.compile(r" *\+[0-9 \-]*")

TYPES = [PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE,
         PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST, PhoneNumberType.PERSONAL_NUMBER,
         PhoneNumberType.VOIP, PhoneNumberType.PAGER, PhoneNumberType.UAN, PhoneNumberType.VOICEMAIL]


def server(s):
    """Returns (verdict_valid_mode, verdict_possible_mode, e164, region)."""
    if not PRECHECK.fullmatch(s):
        return "notE164", "notE164", "", ""
    try:
        n = phonenumbers.parse(s, None)
    except NumberParseException:
        return "notE164", "notE164", "", ""
    e164 = phonenumbers.format_number(n, PhoneNumberFormat.E164)
    region = phonenumbers.region_code_for_number(n) or ""
    possible = phonenumbers.is_possible_number(n)
    valid = phonenumbers.is_valid_number(n)
    pv = "valid" if possible else "invalid"
    if not possible or not valid:
        vv = "invalid"
    elif s != e164:
        vv = "notE164"
    else:
        vv = "valid"
    return vv, pv, e164, region


def example_numbers():
    out = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for t in TYPES:
            n = phonenumbers.example_number_for_type(region, t)
            if n is not None:
                out.append(n)
    for cc in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        for t in TYPES:
            md = phonenumbers.PhoneMetadata.metadata_for_nongeo_region(cc)
            desc = phonenumbers.phonenumberutil._number_desc_by_type(md, t)
            if desc is not None and desc.example_number:
                out.append(phonenumbers.parse("+%d%s" % (cc, desc.example_number), None))
    return out


def generate(rng):
    inputs = []
    add = inputs.append
    # Hand-picked edge cases.
    for s in ["", "+", "+1", "+12", "+123", "+1234", " +85298765432", "+85298765432 ", "+85298765432",
              "+852 9876 5432", "+852-9876-5432", "+85123456789", "+852999", "+8521823", "+85212345678",
              "+85253580001", "+85222", "+852", "+85222a", "a", "85298765432", "++85298765432",
              "+0123456789", "+00852 98765432", "   +852 9876-5432   ", "+ 852 9876 5432", "+-852",
              "+12015550123", "+18195555555", "+13407121234", "+12841234567", "+447624123456",
              "+442079460958", "+4402079460958", "+44 20 7946 0958", "+447911123456", "+441481256789",
              "+390612345678", "+39 06 1234 5678", "+39312345678", "+3906", "+39000", "+390000000",
              "+79123456789", "+78123456789", "+77012345678", "+76123456789", "+7 912 345-67-89",
              "+5491123456789", "+54 9 11 2345 6789", "+541123456789", "+54011123456789",
              "+5511912345678", "+55011912345678", "+529981234567", "+5219981234567",
              "+61401123456", "+610401123456", "+81312345678", "+810312345678", "+8613812345678",
              "+12345678", "+1234567", "+11234567890", "+12125551234", "+12005550123",
              "+80012345678", "+8001234567", "+88213123456", "+979123456789", "+870301234567",
              "+85123", "+8511234567890", "+999123456789", "+2891234567", "+6721012345",
              "+37805491234", "+378 0549 123456", "+2610201234567", "+24106031234", "+241 06 03 12 34",
              "+1 201 555 0123", "+1-201-555-0123", "+1 (201) 555-0123", "+1.201.555.0123",
              "+123456789012345678", "+1234567890123456789", "+8" + "9" * 20, "+" + "1" * 260,
              "+85298765432\t", "+852９8765432", "+85298765432x12"]:
        add(s)
    numbers = example_numbers()
    for n in numbers:
        e164 = phonenumbers.format_number(n, PhoneNumberFormat.E164)
        add(e164)
        add(phonenumbers.format_number(n, PhoneNumberFormat.INTERNATIONAL))
        cc = str(n.country_code)
        nsn = phonenumbers.national_significant_number(n)
        add("+" + cc + nsn + str(rng.randrange(10)))        # one digit too many
        add("+" + cc + nsn[:-1])                            # one digit too few
        add("+" + cc + nsn[:-2])
        add("+" + cc + str(rng.randrange(10)) + nsn[1:])    # different leading digit
        add("+" + cc + "0" + nsn)                           # national prefix / leading zero
        add(" +" + cc + nsn)
        add("+" + cc + " " + nsn)
        digits = list(nsn)
        digits[rng.randrange(len(digits))] = str(rng.randrange(10))
        add("+" + cc + "".join(digits))
    # Random digit strings, biased to real calling codes.
    codes = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    for _ in range(1500):
        cc = str(rng.choice(codes)) if rng.random() < 0.8 else str(rng.randrange(1, 1000))
        length = rng.randrange(1, 15)
        add("+" + cc + "".join(str(rng.randrange(10)) for _ in range(length)))
    # NANP and +44 / +7 / +39 sweeps.
    for _ in range(300):
        add("+1" + str(rng.randrange(2, 10)) + "".join(str(rng.randrange(10)) for _ in range(9)))
        add("+44" + "".join(str(rng.randrange(10)) for _ in range(rng.choice([9, 10, 11]))))
        add("+7" + "".join(str(rng.randrange(10)) for _ in range(10)))
        add("+39" + rng.choice(["0", "3", ""]) + "".join(str(rng.randrange(10)) for _ in range(rng.randrange(5, 11))))
    seen = set()
    unique = []
    for s in inputs:
        if s not in seen and "\t" not in s and "\n" not in s:
            seen.add(s)
            unique.append(s)
    return unique


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--all", default="phone-oracle-all.tsv")
    ap.add_argument("--fixture", default="Tests/MigrationCoreTests/Fixtures/phone-oracle.tsv")
    ap.add_argument("--fixture-size", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20261128)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    rows = [(s,) + server(s) for s in generate(rng)]
    with open(args.all, "w", encoding="utf-8") as f:
        for r in rows:
            f.write("\t".join(r) + "\n")
    # Fixture: the hand-picked head plus a stratified sample over (valid-mode, possible-mode) verdicts.
    head = rows[:60]
    rest = rows[60:]
    buckets = {}
    for r in rest:
        buckets.setdefault((r[1], r[2]), []).append(r)
    per = max(1, (args.fixture_size - len(head)) // max(1, len(buckets)))
    sample = []
    for key in sorted(buckets):
        b = buckets[key]
        sample += rng.sample(b, min(per, len(b)))
    left = [r for r in rest if r not in set(sample)]
    sample += rng.sample(left, max(0, args.fixture_size - len(head) - len(sample)))
    with open(args.fixture, "w", encoding="utf-8") as f:
        f.write("# phone-oracle.tsv: generated by scripts/phone-oracle-check.py with phonenumbers %s\n"
                % phonenumbers.__version__)
        f.write("# input\tisValidNumber verdict\tisPossibleNumber verdict\te164\tregion\n")
        for r in head + sample:
            f.write("\t".join(r) + "\n")
    counts = {}
    for r in rows:
        counts[(r[1], r[2])] = counts.get((r[1], r[2]), 0) + 1
    print("%d cases -> %s; %d -> %s; verdict mix %s"
          % (len(rows), args.all, len(head) + len(sample), args.fixture, counts))


if __name__ == "__main__":
    main()
