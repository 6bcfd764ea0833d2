#!/usr/bin/env python3
"""Generate PrecisData.swift and ConfusableData.swift, the Unicode tables of the login-ID checks.

Dev-only. Pinned inputs:
  * Unicode 15.1.0 as shipped in CPython 3.13's `unicodedata` (unidata_version "15.1.0") and its
    str.casefold(). The generator refuses any other Unicode version.
  * confusable_homoglyphs 3.3.1 from PyPI (its bundled confusables.json and categories.json; the
    SHA-256 of both is pinned below). Its categories.json is Unicode's Scripts.txt (Unicode 15.1:
    it has CJK Extension I) and gives the script ranges.
  * RFC 8264 §9 / RFC 5892 §2.6 (Exceptions) and Unicode 15.1's DerivedCoreProperties.txt
    (Default_Ignorable_Code_Point) and HangulSyllableType.txt (L, V, T): small fixed lists,
    written out below with their source and checked against unicodedata where it can tell.

Usage (from the package root), with a Python 3.13 (on this machine pyenv has 3.13.0):
    ~/.pyenv/versions/3.13.0/bin/python3 -m venv /tmp/login-id-gen
    /tmp/login-id-gen/bin/pip install confusable_homoglyphs==3.3.1
    /tmp/login-id-gen/bin/python scripts/gen-login-id-tables.py           # writes both files
    /tmp/login-id-gen/bin/python scripts/gen-login-id-tables.py --check   # compares, writes nothing

Why not Python 3.11 + the PyPI package unicodedata2==15.1.0: unicodedata2 brings 15.1's
category, normalisation and combining classes, but str.casefold() keeps the running Python's
Unicode (3.11: 14.0), and unicodedata2 exposes no case folding; the committed tables were made with
Python 3.13.0, whose own unicodedata is 15.1.0 and whose str.casefold() is full case folding
(CaseFolding.txt statuses C+F, without T), which is what Go's x/text cases.Fold does.

Writes (the first line names this script and the Python, Unicode and package versions used;
every other byte depends only on the pinned data, and a run with Python 3.13.0 reproduces the
committed files byte-for-byte):
  Sources/MigrationCore/LoginID/PrecisData.swift
    derivedProperties  range starts: hex code point + one digit, the RFC 8264 IdentifierClass /
                       FreeformClass derived property (§9 rules 1-15 in order) of every code point
                       from there to the next start: 0 PVALID, 1 ID_DIS or FREE_PVAL (the two
                       classes differ only there), 2 DISALLOWED, 3 UNASSIGNED, 4 CONTEXTJ, 5 CONTEXTO
    caseFolding        cp:folded for every scalar whose str.casefold() differs from itself
    viramas            scalars with canonical combining class 9 (RFC 5892 A.1, A.2)
    greek, hebrew, japanese
                       Script=Greek, Script=Hebrew, Script in {Hiragana, Katakana, Han} ranges
                       (RFC 5892 A.4, A.5/A.6, A.7 contextual rules)
  Sources/MigrationCore/LoginID/ConfusableData.swift
    confusableScalars  inclusive ranges of the scalars c for which
                       confusables.is_confusable(c, greedy=False, preferred_aliases=["latin", "common"])
                       is true: the Python original of skygeario/go-confusable-homoglyphs'
                       IsConfusable(s, false, ["LATIN", "COMMON"]), on the same data files.
Every literal is one comma-separated list cut into lines of 110 characters (the Swift readers
ignore the line breaks).
"""
import base64
import hashlib
import importlib.metadata
import os
import platform
import sys
import unicodedata

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PRECIS_OUT = os.path.join(ROOT, "Sources", "MigrationCore", "LoginID", "PrecisData.swift")
CONFUSABLE_OUT = os.path.join(ROOT, "Sources", "MigrationCore", "LoginID", "ConfusableData.swift")

UNICODE_VERSION = "15.1.0"
CONFUSABLE_VERSION = "3.3.1"
# sha256 of the data files in the confusable_homoglyphs 3.3.1 wheel (as in its RECORD).
CONFUSABLE_DATA_SHA256 = {
    "categories.json": "gEVw8V7dl_fNFfRFjOpFvX3ywaDReaeXXtftsyscyck",
    "confusables.json": "LYtHdM2dxvIzoYaBvABCOuJwA3Q38nb8aouAYwlB_n0",
}

LINE = 110
MAX = 0x110000

PVALID, FREE, DISALLOWED, UNASSIGNED, CONTEXTJ, CONTEXTO = range(6)

# RFC 5892 §2.6 Exceptions (F), used as-is by RFC 8264 §9.1.
EXCEPTIONS = {}
for _cp in (0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007):
    EXCEPTIONS[_cp] = PVALID
for _cp in [0x00B7, 0x0375, 0x05F3, 0x05F4, 0x30FB] + list(range(0x0660, 0x066A)) + list(range(0x06F0, 0x06FA)):
    EXCEPTIONS[_cp] = CONTEXTO
for _cp in (0x0640, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B):
    EXCEPTIONS[_cp] = DISALLOWED
# RFC 5892 §2.7 BackwardCompatible (G) is empty.

# Unicode 15.1.0 DerivedCoreProperties.txt, Default_Ignorable_Code_Point (all 27 lines).
DEFAULT_IGNORABLE = [
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180D), (0x180E, 0x180E), (0x180F, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x2064), (0x2065, 0x2065), (0x2066, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0000), (0xE0001, 0xE0001), (0xE0002, 0xE001F), (0xE0020, 0xE007F),
    (0xE0080, 0xE00FF), (0xE0100, 0xE01EF), (0xE01F0, 0xE0FFF),
]
# Format characters (Cf) that Default_Ignorable_Code_Point leaves out by its derivation
# (Prepended_Concatenation_Mark, FFF9..FFFB, Egyptian hieroglyph format controls 13430..1343F).
CF_NOT_IGNORABLE = [
    (0x0600, 0x0605), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2),
    (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F),
]
# Unicode 15.1.0 HangulSyllableType.txt: L, V and T (RFC 5892 §2.9 OldHangulJamo).
OLD_HANGUL_JAMO = [(0x1100, 0x115F), (0xA960, 0xA97C), (0x1160, 0x11A7), (0xD7B0, 0xD7C6),
                   (0x11A8, 0x11FF), (0xD7CB, 0xD7FB)]

LETTER_DIGITS = {"Ll", "Lu", "Lo", "Nd", "Lm", "Mn", "Mc"}          # §9.1 (A)
OTHER_LETTER_DIGITS = {"Lt", "Nl", "No", "Me"}                     # §9.12 (R)
SPACES = {"Zs"}                                                     # §9.14 (N)
SYMBOLS = {"Sm", "Sc", "Sk", "So"}                                  # §9.15 (O)
PUNCTUATION = {"Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"}            # §9.16 (P)


def die(msg):
    sys.exit(f"gen-login-id-tables: {msg}")


def expand(ranges):
    out = set()
    for a, b in ranges:
        out.update(range(a, b + 1))
    return out


def is_noncharacter(cp):
    return 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE


def check_environment():
    if unicodedata.unidata_version != UNICODE_VERSION:
        die(f"this Python ({platform.python_version()}) has Unicode {unicodedata.unidata_version}; "
            f"run it with a Python whose unicodedata is {UNICODE_VERSION} (CPython 3.13)")
    if "CONFUSABLE_DATA" in os.environ:
        die("CONFUSABLE_DATA is set: confusable_homoglyphs would read other data files")
    try:
        version = importlib.metadata.version("confusable_homoglyphs")
    except importlib.metadata.PackageNotFoundError:
        die(f"confusable_homoglyphs is not installed (pip install confusable_homoglyphs=={CONFUSABLE_VERSION})")
    if version != CONFUSABLE_VERSION:
        die(f"confusable_homoglyphs {version} is installed, {CONFUSABLE_VERSION} is pinned")
    import confusable_homoglyphs
    pkg = os.path.dirname(confusable_homoglyphs.__file__)
    for name, want in CONFUSABLE_DATA_SHA256.items():
        with open(os.path.join(pkg, name), "rb") as f:
            got = base64.urlsafe_b64encode(hashlib.sha256(f.read()).digest()).rstrip(b"=").decode()
        if got != want:
            die(f"{name} of confusable_homoglyphs has sha256 {got}, the 3.3.1 wheel's is {want}")


def check_fixed_lists(dicp, jamo):
    """The hand-copied lists must agree with what unicodedata itself can tell."""
    cf = {cp for cp in range(MAX) if unicodedata.category(chr(cp)) == "Cf"}
    if cf - expand(CF_NOT_IGNORABLE) != {cp for cp in dicp if unicodedata.category(chr(cp)) == "Cf"}:
        die("Default_Ignorable_Code_Point list does not match the Cf characters of this Unicode")
    by_name = {cp for cp in range(MAX)
               if unicodedata.name(chr(cp), "").startswith(("HANGUL CHOSEONG ", "HANGUL JUNGSEONG ",
                                                            "HANGUL JONGSEONG "))}
    if by_name != jamo:
        die("OldHangulJamo list does not match the HANGUL CHOSEONG/JUNGSEONG/JONGSEONG characters")
    for cp in EXCEPTIONS:
        if unicodedata.category(chr(cp)) == "Cn":
            die(f"exception U+{cp:04X} is unassigned")


def derived_property(cp, dicp, jamo):
    """RFC 8264 §9 (order of rules as in §8 / RFC 5892 §3)."""
    if cp in EXCEPTIONS:                                   # 1. Exceptions
        return EXCEPTIONS[cp]
    ch = chr(cp)                                           # 2. BackwardCompatible: empty
    gc = unicodedata.category(ch)
    if gc == "Cn" and not is_noncharacter(cp):             # 3. Unassigned
        return UNASSIGNED
    if 0x21 <= cp <= 0x7E:                                 # 4. ASCII7
        return PVALID
    if cp in (0x200C, 0x200D):                             # 5. JoinControl
        return CONTEXTJ
    if cp in jamo:                                         # 6. OldHangulJamo
        return DISALLOWED
    if cp in dicp or is_noncharacter(cp):                  # 7. PrecisIgnorableProperties
        return DISALLOWED
    if gc == "Cc":                                         # 8. Controls
        return DISALLOWED
    if gc == "Cs":                                         # (surrogates: not scalars; rule 15)
        return DISALLOWED
    if unicodedata.normalize("NFKC", ch) != ch:            # 9. HasCompat
        return FREE
    if gc in LETTER_DIGITS:                                # 10. LetterDigits
        return PVALID
    if gc in OTHER_LETTER_DIGITS or gc in SPACES or gc in SYMBOLS or gc in PUNCTUATION:
        return FREE                                        # 11-14.
    return DISALLOWED                                      # 15.


def ranges_of(predicate_cps):
    out = []
    for cp in predicate_cps:
        if out and out[-1][1] + 1 == cp:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return ",".join(f"{a:x}-{b:x}" for a, b in out)


def literal(s):
    if not s:
        die("empty table")
    return "\n".join(s[i:i + LINE] for i in range(0, len(s), LINE))


def scalars():
    return (cp for cp in range(MAX) if not 0xD800 <= cp <= 0xDFFF)


def header():
    return (f"// Generated by scripts/gen-login-id-tables.py (Python {platform.python_version()}, "
            f"Unicode {unicodedata.unidata_version}, confusable_homoglyphs {CONFUSABLE_VERSION}). Do not edit.")


def precis_swift():
    dicp = expand(DEFAULT_IGNORABLE)
    jamo = expand(OLD_HANGUL_JAMO)
    check_fixed_lists(dicp, jamo)

    starts, prev = [], None
    for cp in range(MAX):
        p = derived_property(cp, dicp, jamo)
        if p != prev:
            starts.append(f"{cp:x}{p}")
            prev = p
    derived = ",".join(starts)

    folds = []
    for cp in scalars():
        folded = chr(cp).casefold()
        if folded != chr(cp):
            folds.append(f"{cp:x}:" + " ".join(f"{ord(c):x}" for c in folded))
    if "df:73 73" not in folds:
        die("str.casefold() is not full case folding (U+00DF should fold to 'ss')")

    viramas = ",".join(f"{cp:x}" for cp in scalars() if unicodedata.combining(chr(cp)) == 9)

    from confusable_homoglyphs import categories

    def script_ranges(names):
        return ranges_of(cp for cp in scalars() if categories.alias(chr(cp)) in names)

    greek = script_ranges({"GREEK"})
    hebrew = script_ranges({"HEBREW"})
    japanese = script_ranges({"HIRAGANA", "KATAKANA", "HAN"})

    return f'''{header()}
// RFC 8264 derived properties, full case folding (CaseFolding.txt C+F, as Go's x/text cases.Fold),
// viramas and script ranges for the contextual rules. Line breaks inside the literals are ignored.

enum PrecisData {{
    /// Range starts (hex) each followed by one property digit: 0 PVALID, 1 ID_DIS/FREE_PVAL, 2 DISALLOWED, 3 UNASSIGNED, 4 CONTEXTJ, 5 CONTEXTO.
    static let derivedProperties = """
{literal(derived)}
"""
    /// `scalar:folded scalars` pairs (hex).
    static let caseFolding = """
{literal(",".join(folds))}
"""
    /// Scalars with canonical combining class 9 (Virama).
    static let viramas = """
{literal(viramas)}
"""
    /// Greek script ranges.
    static let greek = """
{literal(greek)}
"""
    /// Hebrew script ranges.
    static let hebrew = """
{literal(hebrew)}
"""
    /// Hiragana, Katakana and Han script ranges.
    static let japanese = """
{literal(japanese)}
"""
}}
'''


def confusable_swift():
    from confusable_homoglyphs import confusables
    hits = (cp for cp in scalars()
            if confusables.is_confusable(chr(cp), greedy=False, preferred_aliases=["latin", "common"]))
    return f'''{header()}
// Scalars that skygeario/go-confusable-homoglyphs' IsConfusable(s, false, ["LATIN", "COMMON"]) reports:
// not of script LATIN/COMMON and confusable with a LATIN or COMMON glyph (Unicode confusables.txt).

enum ConfusableData {{
    /// Inclusive hex ranges.
    static let confusableScalars = """
{literal(ranges_of(hits))}
"""
}}
'''


def main(argv):
    check = "--check" in argv
    if any(a not in ("--check",) for a in argv[1:]):
        die("usage: gen-login-id-tables.py [--check]")
    check_environment()
    failed = False
    for path, text in ((PRECIS_OUT, precis_swift()), (CONFUSABLE_OUT, confusable_swift())):
        rel = os.path.relpath(path, ROOT)
        if check:
            with open(path, encoding="utf-8") as f:
                old = f.read()
            same = old == text
            body_same = old.split("\n", 1)[1:] == text.split("\n", 1)[1:]
            print(f"{rel}: {'identical' if same else 'same data, other header line' if body_same else 'DIFFERS'}")
            failed |= not body_same
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"wrote {rel}", file=sys.stderr)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv)
