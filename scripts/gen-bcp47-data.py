#!/usr/bin/env python3
"""Generate BCP47Data.swift from golang.org/x/text v0.7.0 (internal/language/tables.go).

Dev-only. The `bcp47` format check must accept and normalise language tags exactly as
golang.org/x/text/language v0.7.0 (the version this project's format checks follow) does, so the subtag
tables come from that version's generated table file, internal/language/tables.go
(CLDR 32). This script parses that Go source and evaluates x/text's own lookup rules
(internal/language/lookup.go: getLangID, getScriptID, getRegionID, Language.String,
Region.String, normLang, normRegion) over every candidate subtag, so what lands in the
Swift file is what x/text v0.7.0 accepts and how it prints it.

Pinned input: golang.org/x/text v0.7.0 (tag v0.7.0, commit 71a9c9afc4cd710b9412f7f99f0d8e35b10e488a).
Get it with any of:
    git clone --branch v0.7.0 https://go.googlesource.com/text /tmp/x-text
    git clone --branch v0.7.0 https://github.com/golang/text /tmp/x-text
    go mod download golang.org/x/text@v0.7.0     # then use $(go env GOMODCACHE)/golang.org/x/text@v0.7.0
    apt-get install golang-golang-x-text-dev      # Debian 12 (0.7.0-1): /usr/share/gocode/src/golang.org/x/text

Usage (from the package root):
    python3 scripts/gen-bcp47-data.py /tmp/x-text
    python3 scripts/gen-bcp47-data.py path/to/tables.go          # the file itself also works
    git --git-dir=/path/to/text.git show v0.7.0:internal/language/tables.go \\
        | python3 scripts/gen-bcp47-data.py -                     # or read it from stdin

Writes Sources/MigrationCore/Formats/BCP47Data.swift (pass --stdout to print it instead).
Only the standard library is needed. The script stops with an error if tables.go is not
v0.7.0's: its SHA-256 is pinned below (the same file ships unchanged in x/text v0.3.8 to
v0.9.0; v0.14.0's differs), and the CLDR version, table sizes and every declaration it
parses are checked. `--any-tables` skips only the SHA-256 check, to try another x/text
(the header would then still say v0.7.0: fix XTEXT_VERSION first). The lookup rules
transcribed here are v0.7.0's lookup.go; a different x/text may need them re-read.

What each Swift table holds (all derived from tables.go, nothing hand-written):
  languages       every 2- and 3-letter lowercase string getLangID accepts: 2-letter entries
                  of `lang`, canonical 3-letter entries, `altLangISO3`, the `langNoIndex`
                  bit vector and the non-canonical ISO 639-2/3 forms of 2-letter codes; "und"
  languageNormal  those whose Language.String() differs from the input (e.g. "aar" -> "aa")
  languageAlias   AliasMap entries of type Deprecated (legacy=false) and Legacy (legacy=true);
                  Macro aliases are left out because Default = Deprecated | Legacy
  scripts         the `script` index (title case)
  regions         every string getRegionID accepts: `regionISO` 2-letter codes, their 3-letter
                  forms and `altRegionISO3`, then the UN M.49 codes getRegionM49 finds
  regionNormal    those whose Region.String() differs from the input (e.g. "AFG" -> "AF")
  regionAlias     regionOldMap (normRegion), as region strings
  variantOrder    variantIndex, the sort index x/text orders variants by
"""
import hashlib
import os
import re
import string
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                   "Sources", "MigrationCore", "Formats", "BCP47Data.swift")

XTEXT_VERSION = "v0.7.0"
TABLES_SHA256 = "5d295bce5581489cdbcd932be8ae03d5f3f9b690875c6c53258ef4d1a00da815"

# What v0.7.0's tables.go declares; anything else means a different x/text.
EXPECTED = {
    "CLDRVersion": '"32"',
    "NumLanguages": "8752",
    "NumScripts": "258",
    "NumRegions": "357",
    "nonCanonicalUnd": "1201",
    "langNoIndexOffset": "1330",
    "isoRegionOffset": "32",
}


def die(msg):
    sys.exit(f"gen-bcp47-data: {msg}")


# ---------------------------------------------------------------------------------------------
# Reading the Go source

def read_source(arg):
    if arg == "-":
        return sys.stdin.read()
    if os.path.isdir(arg):
        path = os.path.join(arg, "internal", "language", "tables.go")
        if not os.path.isfile(path):
            die(f"{arg} has no internal/language/tables.go (expected an x/text {XTEXT_VERSION} checkout)")
        arg = path
    with open(arg, encoding="utf-8") as f:
        return f.read()


GO_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def go_unquote(body):
    """Decode the body of an interpreted Go string literal into bytes."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        e = body[i + 1]
        if e == "x":
            out.append(int(body[i + 2:i + 4], 16))
            i += 4
        elif e in "01234567":
            out.append(int(body[i + 1:i + 4], 8))
            i += 4
        elif e in '\\"':
            out.append(ord(e))
            i += 2
        else:
            die(f"unsupported escape \\{e} in a Go string literal")
    return bytes(out)


def const_value(src, name):
    m = re.search(r"^const %s = (.+)$" % re.escape(name), src, re.M)
    if not m:
        die(f"tables.go has no `const {name} = ...`")
    return m.group(1).strip()


def const_string(src, name, typ):
    """`const name typ = "" + // Size: N bytes` followed by lines of "..." + ... ; or one literal."""
    m = re.search(r"^const %s %s = (.*)$" % (re.escape(name), re.escape(typ)), src, re.M)
    if not m:
        die(f"tables.go has no `const {name} {typ} = ...`")
    start = m.start(1)
    first = m.group(1)
    if not first.startswith('"" +'):
        lit = GO_STRING.fullmatch(first.strip())
        if not lit:
            die(f"unexpected form of const {name}: {first!r}")
        return go_unquote(lit.group(1))
    size = re.match(r'"" \+ // Size: (\d+) bytes$', first)
    if not size:
        die(f"unexpected first line of const {name}: {first!r}")
    out = bytearray()
    pos = src.index("\n", start) + 1
    while True:
        end = src.index("\n", pos)
        line = src[pos:end].strip()
        pos = end + 1
        lit = re.fullmatch(r'"((?:[^"\\]|\\.)*)"( \+)?', line)
        if not lit:
            die(f"unexpected line in const {name}: {line!r}")
        out += go_unquote(lit.group(1))
        if not lit.group(2):
            break
    if len(out) != int(size.group(1)):
        die(f"const {name}: {len(out)} bytes, tables.go says {size.group(1)}")
    return bytes(out)


def var_block(src, name, typ):
    m = re.search(r"^var %s = %s\{\n(.*?)^\}\n" % (re.escape(name), re.escape(typ)), src, re.M | re.S)
    if not m:
        die(f"tables.go has no `var {name} = {typ}{{...}}`")
    return m.group(1)


def int_array(src, name, elem):
    m = re.search(r"^var %s = \[(\d+)\]%s\{\n(.*?)^\}\n" % (re.escape(name), re.escape(elem)), src, re.M | re.S)
    if not m:
        die(f"tables.go has no `var {name} = [N]{elem}{{...}}`")
    values = []
    for line in m.group(2).split("\n"):
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        for tok in line.rstrip(",").split(","):
            tok = tok.strip()
            if not re.fullmatch(r"-?(0x[0-9a-f]+|\d+)", tok):
                die(f"unexpected element {tok!r} in {name}")
            values.append(int(tok, 0))
    if len(values) != int(m.group(1)):
        die(f"{name}: {len(values)} elements, declared [{m.group(1)}]")
    return values


def fromto_array(src, name):
    m = re.search(r"^var %s = \[(\d+)\]FromTo\{\n(.*?)^\}\n" % re.escape(name), src, re.M | re.S)
    if not m:
        die(f"tables.go has no `var {name} = [N]FromTo{{...}}`")
    pairs = []
    for line in m.group(2).split("\n"):
        line = line.strip()
        if not line:
            continue
        e = re.fullmatch(r"(\d+): +\{From: (0x[0-9a-f]+), To: (0x[0-9a-f]+)\},", line)
        if not e or int(e.group(1)) != len(pairs):
            die(f"unexpected line in {name}: {line!r}")
        pairs.append((int(e.group(2), 16), int(e.group(3), 16)))
    if len(pairs) != int(m.group(1)):
        die(f"{name}: {len(pairs)} elements, declared [{m.group(1)}]")
    return pairs


def string_map(src, name):
    body = var_block(src, name, "map[string]uint8")
    out = {}
    for line in body.split("\n"):
        line = line.strip()
        if not line:
            continue
        e = re.fullmatch(r'"([0-9a-z]+)": +(0x[0-9a-f]+),', line)
        if not e or e.group(1) in out:
            die(f"unexpected line in {name}: {line!r}")
        out[e.group(1)] = int(e.group(2), 16)
    return out


# ---------------------------------------------------------------------------------------------
# x/text's internal/tag.Index and internal/language lookups, transcribed

class Index:
    """internal/tag.Index: sorted 4-byte elements."""

    def __init__(self, data):
        if len(data) % 4:
            die("a tag.Index whose length is not a multiple of 4")
        self.data = data
        self.n = len(data) // 4

    def elem(self, i):
        return self.data[i * 4:i * 4 + 4]

    def index(self, key):
        n = len(key)
        lo, hi = 0, self.n          # sort.Search: first i with s[i*4:i*4+n] >= key
        while lo < hi:
            mid = (lo + hi) // 2
            if self.data[mid * 4:mid * 4 + n] >= key:
                hi = mid
            else:
                lo = mid + 1
        i = lo * 4
        if self.data[i:i + n] != key:
            return -1
        return lo

    def next(self, key, x):
        x += 1
        if x * 4 < len(self.data) and self.data[x * 4:x * 4 + len(key)] == key:
            return x
        return -1


class Tables:
    def __init__(self, src):
        for name, want in EXPECTED.items():
            got = const_value(src, name)
            if got != want:
                die(f"tables.go has {name} = {got}, x/text {XTEXT_VERSION} has {want}")
        self.non_canonical_und = int(const_value(src, "nonCanonicalUnd"))
        self.lang_no_index_offset = int(const_value(src, "langNoIndexOffset"))
        self.iso_region_offset = int(const_value(src, "isoRegionOffset"))
        self.lang = Index(const_string(src, "lang", "tag.Index"))
        self.lang_no_index = int_array(src, "langNoIndex", "uint8")
        self.alt_lang_iso3 = Index(const_string(src, "altLangISO3", "tag.Index"))
        self.alt_lang_index = int_array(src, "altLangIndex", "uint16")
        self.alias_map = fromto_array(src, "AliasMap")
        self.alias_types = int_array(src, "AliasTypes", "AliasType")
        self.script = Index(const_string(src, "script", "tag.Index"))
        self.region_iso = Index(const_string(src, "regionISO", "tag.Index"))
        self.alt_region_iso3 = const_string(src, "altRegionISO3", "string")
        self.alt_region_ids = int_array(src, "altRegionIDs", "uint16")
        self.region_old_map = fromto_array(src, "regionOldMap")
        self.m49 = int_array(src, "m49", "int16")
        self.m49_index = int_array(src, "m49Index", "int16")
        self.from_m49 = int_array(src, "fromM49", "uint16")
        self.variant_index = string_map(src, "variantIndex")
        if len(self.alias_map) != len(self.alias_types):
            die("AliasMap and AliasTypes differ in length")
        if self.lang.n * 4 != 5324 or self.script.n != int(EXPECTED["NumScripts"]) + 2:
            die("lang or script index of an unexpected size")
        if len(self.alt_region_iso3) != 3 * len(self.alt_region_ids):
            die("altRegionISO3 and altRegionIDs do not match")

    # getLangISO2 / getLangISO3 / getLangID; returns the langID or None (error)
    def lang_id(self, s):
        if len(s) == 2:
            i = self.lang.index(s)
            if i != -1 and self.lang.elem(i)[3] != 0:
                return i
            return None
        i = self.lang.index(s[:2])
        while i != -1:
            e = self.lang.elem(i)
            if e[3] == 0 and e[2] == s[2]:
                return 0 if i == self.non_canonical_und else i
            i = self.lang.next(s[:2], i)
        i = self.alt_lang_iso3.index(s)
        if i != -1:
            return self.alt_lang_index[self.alt_lang_iso3.elem(i)[3]]
        n = self.str_to_int(s)
        if self.lang_no_index[n // 8] & (1 << (n % 8)):
            return n + self.lang_no_index_offset
        i = self.lang.index(s[:1])
        while i != -1:
            e = self.lang.elem(i)
            if e[2] == s[1] and e[3] == s[2]:
                return i
            i = self.lang.next(s[:1], i)
        return None

    @staticmethod
    def str_to_int(s):
        v = 0
        for c in s:
            v = v * 26 + (c - ord("a"))
        return v

    def lang_string(self, lid):
        if lid == 0:
            return "und"
        if lid >= self.lang_no_index_offset:
            v = lid - self.lang_no_index_offset
            out = ""
            for _ in range(3):
                out = chr(v % 26 + ord("a")) + out
                v //= 26
            return out
        e = self.lang.elem(lid)
        return (e[:3] if e[3] == 0 else e[:2]).decode("ascii")

    # getRegionID (getRegionISO2, getRegionISO3, getRegionM49); returns the regionID or None
    def region_id(self, s):
        if len(s) == 3 and s[0:1].isalpha():
            i = self.region_iso.index(s[:1])
            while i != -1:
                e = self.region_iso.elem(i)
                if e[2] == s[1] and e[3] == s[2]:
                    return i + self.iso_region_offset
                i = self.region_iso.next(s[:1], i)
            for i in range(0, len(self.alt_region_iso3), 3):
                if self.alt_region_iso3[i:i + 3] == s:
                    return self.alt_region_ids[i // 3]
            return None
        if len(s) == 3:
            n = int(s)
            if 0 < n <= 999:
                idx = n >> 7
                lo, hi = self.m49_index[idx], self.m49_index[idx + 1]
                val = (n << 9) & 0xFFFF          # uint16(n) << regionBits, high bits shifted out
                buf = self.from_m49[lo:hi]
                k = 0
                while k < len(buf) and buf[k] < val:
                    k += 1
                r = self.from_m49[lo + k]
                if r & ~0x1FF & 0xFFFF == val:
                    return r & 0x1FF
            return None
        i = self.region_iso.index(s)
        return None if i == -1 else i + self.iso_region_offset

    def region_string(self, r):
        if r < self.iso_region_offset:
            return "ZZ" if r == 0 else "%03d" % self.m49[r]
        return self.region_iso.elem(r - self.iso_region_offset)[:2].decode("ascii")


# ---------------------------------------------------------------------------------------------

def letters(n, alphabet):
    if n == 0:
        yield b""
        return
    for head in letters(n - 1, alphabet):
        for c in alphabet:
            yield head + bytes([c])


def compute(t):
    lower = string.ascii_lowercase.encode()
    upper = string.ascii_uppercase.encode()

    languages, language_normal = [], {}
    for n in (2, 3):
        for s in letters(n, lower):
            lid = t.lang_id(s)
            if lid is None:
                continue
            key = s.decode()
            languages.append(key)
            if t.lang_string(lid) != key:
                language_normal[key] = t.lang_string(lid)
    languages.sort()

    language_alias = {}
    for (frm, to), typ in zip(t.alias_map, t.alias_types):
        if typ not in (0, 1, 2):
            die(f"unknown AliasType {typ}")
        if typ == 1:  # Macro: not part of Default canonicalisation
            continue
        key = t.lang_string(frm)
        if key in language_alias:
            die(f"duplicate language alias {key}")
        language_alias[key] = (t.lang_string(to), typ == 2)

    scripts = []
    for i in range(t.script.n):
        e = t.script.elem(i)
        if e in (b"----", b"\xff\xff\xff\xff"):
            continue
        if not re.fullmatch(rb"[A-Z][a-z]{3}", e):
            die(f"unexpected script entry {e!r}")
        scripts.append(e.decode())

    alpha, digits, region_normal = [], [], {}
    for n in (2, 3):
        for s in letters(n, upper):
            r = t.region_id(s)
            if r is None:
                continue
            alpha.append(s.decode())
            if t.region_string(r) != s.decode():
                region_normal[s.decode()] = t.region_string(r)
    for n in range(1000):
        s = b"%03d" % n
        r = t.region_id(s)
        if r is None:
            continue
        digits.append(s.decode())
        if t.region_string(r) != s.decode():
            region_normal[s.decode()] = t.region_string(r)
    regions = sorted(alpha) + sorted(digits)

    region_alias = {}
    for frm, to in t.region_old_map:
        region_alias[t.region_string(frm)] = t.region_string(to)

    return dict(languages=languages, language_normal=language_normal,
                language_alias=language_alias, scripts=scripts, regions=regions,
                region_normal=region_normal, region_alias=region_alias,
                variant_order=t.variant_index)


def word_list(words, per_line):
    lines = []
    for i in range(0, len(words), per_line):
        lines.append('        "' + "".join(w + " " for w in words[i:i + per_line]) + '",')
    return lines


def render(d):
    L = []
    L.append(f"// Generated by scripts/gen-bcp47-data.py from golang.org/x/text {XTEXT_VERSION} (internal/language tables). Do not edit.")
    L.append("")
    L.append("/// Subtag tables of golang.org/x/text/language used by the `bcp47` format check.")
    L.append("enum BCP47Data {")
    L.append("    /// Known language subtags (2 and 3 letters, lowercase), as accepted by x/text getLangID.")
    L.append('    static let languages: Set<Substring> = Set(languageList.joined().split(separator: " "))')
    L.append("    private static let languageList: [String] = [")
    L += word_list(d["languages"], 20)
    L.append("    ]")
    L.append("    /// Language subtags whose x/text string form differs from the input (ISO 639-2/T and B codes).")
    L.append("    static let languageNormal: [String: String] = [")
    L += [f'        "{k}": "{v}",' for k, v in sorted(d["language_normal"].items())]
    L.append("    ]")
    L.append("    /// Language aliases applied by the Default canonicalisation: D = deprecated, L = legacy.")
    L.append("    static let languageAlias: [String: (to: String, legacy: Bool)] = [")
    L += [f'        "{k}": ("{to}", {"true" if legacy else "false"}),'
          for k, (to, legacy) in sorted(d["language_alias"].items())]
    L.append("    ]")
    L.append("    /// Known script subtags (title case).")
    L.append('    static let scripts: Set<Substring> = Set(scriptList.joined().split(separator: " "))')
    L.append("    private static let scriptList: [String] = [")
    L += word_list(d["scripts"], 20)
    L.append("    ]")
    L.append("    /// Known region subtags (uppercase ISO 3166 alpha-2/alpha-3 and UN M.49 digits).")
    L.append('    static let regions: Set<Substring> = Set(regionList.joined().split(separator: " "))')
    L.append("    private static let regionList: [String] = [")
    L += word_list(d["regions"], 20)
    L.append("    ]")
    L.append("    /// Region subtags whose x/text string form differs from the input (alpha-3 and M.49 codes).")
    L.append("    static let regionNormal: [String: String] = [")
    L += [f'        "{k}": "{v}",' for k, v in sorted(d["region_normal"].items())]
    L.append("    ]")
    L.append("    /// Deprecated regions replaced by the Default canonicalisation.")
    L.append("    static let regionAlias: [String: String] = [")
    L += [f'        "{k}": "{v}",' for k, v in sorted(d["region_alias"].items())]
    L.append("    ]")
    L.append("    /// Registered variants with x/text's sort order index.")
    L.append("    static let variantOrder: [String: Int] = [")
    L += [f'        "{k}": {v},' for k, v in sorted(d["variant_order"].items())]
    L.append("    ]")
    L.append("}")
    return "\n".join(L) + "\n"


def main(argv):
    flags = {"--stdout", "--any-tables"}
    args = [a for a in argv[1:] if a not in flags]
    if len(args) != 1 or args[0].startswith("--"):
        die("usage: gen-bcp47-data.py <x/text v0.7.0 checkout | tables.go | -> [--stdout] [--any-tables]")
    src = read_source(args[0])
    digest = hashlib.sha256(src.encode("utf-8")).hexdigest()
    if digest != TABLES_SHA256 and "--any-tables" not in argv:
        die(f"tables.go has SHA-256 {digest}, not x/text {XTEXT_VERSION}'s {TABLES_SHA256}")
    swift = render(compute(Tables(src)))
    if "--stdout" in argv:
        sys.stdout.write(swift)
        return
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(swift)
    print(f"wrote {os.path.relpath(OUT)}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
