// Command format-oracle prints Tests/MigrationCoreTests/FormatRulesOracleCases.swift: for every
// input in inputs.tsv, the error text the Authgear server's format checker gives for it (or nil),
// computed by running the Go standard library and golang.org/x/text themselves.
//
// Dev-only. Pinned: golang.org/x/text v0.7.0 (language; go.mod, go.sum) and Go 1.23 or later for
// time, net/url and path. The Go version matters: time.Parse range-checks numeric zone offsets
// (hour <= 24, minute <= 60) only since Go 1.23 (golang/go#67470), and the committed cases have
// "2024-05-17T08:08:13+25:00" and "...+08:61" refused, as the server's Go (1.26 in Authgear's
// go.mod) does. Go 1.19.8 and 1.22.12 accept both and so print those two cases as nil; that is
// the only difference they make on these inputs. The program refuses a Go older than 1.23.
// Checked on this project's Debian 12 machine: Go 1.23.5 with x/text v0.7.0 prints the committed
// file byte-for-byte. The tz cases also depend on the machine's zoneinfo (time.LoadLocation reads
// $ZONEINFO or /usr/share/zoneinfo; the committed ones come from Debian 12's tzdata 2025b).
//
// Usage (from the package root). In module mode (needs the Go module proxy, or a module cache
// that holds golang.org/x/text v0.7.0):
//
//	(cd scripts/format-oracle && go run . inputs.tsv) > Tests/MigrationCoreTests/FormatRulesOracleCases.swift
//
// Without the module proxy, on Debian 12: x/text v0.7.0 is the package golang-golang-x-text-dev
// (0.7.0-1; its language packages are upstream v0.7.0's files unchanged) and Go 1.23 is
// golang-1.23-go from bookworm-backports (bookworm itself has only Go 1.19). In GOPATH mode:
//
//	apt-get install -y golang-golang-x-text-dev
//	apt-get install -y -t bookworm-backports golang-1.23-go   # with bookworm-backports in the apt sources
//	(cd scripts/format-oracle && GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=/tmp/go-cache \
//	    /usr/lib/go-1.23/bin/go run . inputs.tsv) > Tests/MigrationCoreTests/FormatRulesOracleCases.swift
//
// inputs.tsv: one case a line, "<format>\t<input as a JSON string>"; empty lines and lines
// starting with '#' are skipped. The formats are those the Swift test runs (FormatRulesTests
// runOracleFormat): bcp47, datetime, birthdate, tz, uri, picture. The output keeps the order of
// inputs.tsv. A line that does not parse, or an unknown format, stops the program (exit 1).
//
// No Authgear code is copied here. Each check below makes the same calls, in the same order and
// with the same messages, as the Authgear checker it names, in
// github.com/authgear/authgear-server pkg/util/validation/formats.go at commit
// fa7a7d551dda42c274bf388ae57aadc780e8472c (2026-08-21). FormatDateTime was added there on
// 2024-05-17 (e0666675a7ca3498280b346e0a160ecef096cb99); the other five bodies are the same,
// but for the later ctx parameter, at 07549130b1dbcfdf8c25664f77f799c0b07f912f (2023-05-23,
// the last commit with go 1.19 in Authgear's go.mod).
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// checkBCP47 is FormatBCP47: language.Parse, then the tag's String() must equal the input.
func checkBCP47(s string) error {
	tag, err := language.Parse(s)
	if err != nil {
		return fmt.Errorf("invalid BCP 47 tag: %w", err)
	}
	if c := tag.String(); c != s {
		return fmt.Errorf("non-canonical BCP 47 tag: %v != %v", s, c)
	}
	return nil
}

// checkDateTime is FormatDateTime: time.Parse with time.RFC3339.
func checkDateTime(s string) error {
	if _, err := time.Parse(time.RFC3339, s); err != nil {
		return errors.New("date-time must be in rfc3339 format")
	}
	return nil
}

// checkBirthdate is FormatBirthdate: any of four time.Parse layouts, tried in this order.
func checkBirthdate(s string) error {
	for _, layout := range []string{"2006-01-02", "0000-01-02", "--01-02", "2006"} {
		if _, err := time.Parse(layout, s); err == nil {
			return nil
		}
	}
	return fmt.Errorf("invalid birthdate: %#v", s)
}

// checkTimezoneLoad is the time.LoadLocation half of FormatTimezone. Its first test (at least
// one "/", else "valid timezone name has at least 1 slash: %#v") is not exercised here: the Swift
// test runs GoTimezone.loadError, the LoadLocation port, on these cases.
func checkTimezoneLoad(s string) error {
	if _, err := time.LoadLocation(s); err != nil {
		return fmt.Errorf("invalid timezone name: %w", err)
	}
	return nil
}

// checkAbsolutePath is FormatAbsolutePath: "" counts as "/"; the path must be absolute and
// equal to path.Clean of itself, a trailing "/" of the input being put back after Clean.
func checkAbsolutePath(p string) error {
	if p == "" {
		p = "/"
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && !strings.HasSuffix(clean, "/") {
		clean += "/"
	}
	if !path.IsAbs(p) || clean != p {
		return fmt.Errorf("invalid path: %v", p)
	}
	return nil
}

// checkURI is FormatURI: url.Parse (its error as is), a scheme and a host, then the escaped path.
func checkURI(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme == "" || u.Host == "" {
		return errors.New("input URL must be absolute")
	}
	return checkAbsolutePath(u.EscapedPath())
}

// checkPicture is FormatPicture (x_picture): http/https as FormatURI; authgearimages without a
// host and with a clean escaped path; any other scheme refused.
func checkPicture(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	switch u.Scheme {
	case "http", "https":
		return checkURI(s)
	case "authgearimages":
		if u.Host != "" {
			return errors.New("authgearimages URI does not have host")
		}
		return checkAbsolutePath(u.EscapedPath())
	default:
		return fmt.Errorf("invalid scheme: %v", u.Scheme)
	}
}

var checks = map[string]func(string) error{
	"bcp47":     checkBCP47,
	"datetime":  checkDateTime,
	"birthdate": checkBirthdate,
	"tz":        checkTimezoneLoad,
	"uri":       checkURI,
	"picture":   checkPicture,
}

// swiftQuote writes s as a Swift string literal: \ and " escaped, every rune that Go does not
// call printable (controls, format characters, lone surrogates' replacement...) as \u{hex}.
func swiftQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '\\' || r == '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case !strconv.IsPrint(r):
			fmt.Fprintf(&b, "\\u{%x}", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

type oracleCase struct {
	format, input string
}

func readCases(r io.Reader) ([]oracleCase, error) {
	var cases []oracleCase
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		format, quoted, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("line %d: no tab", n)
		}
		if _, known := checks[format]; !known {
			return nil, fmt.Errorf("line %d: unknown format %q", n, format)
		}
		var input string
		if err := json.Unmarshal([]byte(quoted), &input); err != nil {
			return nil, fmt.Errorf("line %d: input is not a JSON string: %v", n, err)
		}
		cases = append(cases, oracleCase{format, input})
	}
	return cases, sc.Err()
}

// checkToolchain stops the program when the Go toolchain or x/text is not what the committed
// cases need (see the package comment).
func checkToolchain() {
	v := runtime.Version() // "go1.23.5"
	var major, minor int
	if _, err := fmt.Sscanf(v, "go%d.%d", &major, &minor); err != nil {
		fmt.Fprintf(os.Stderr, "format-oracle: cannot read the Go version %q\n", v)
		os.Exit(1)
	}
	if major < 1 || (major == 1 && minor < 23) {
		fmt.Fprintf(os.Stderr, "format-oracle: %s is older than Go 1.23: its time.Parse accepts out-of-range zone offsets (golang/go#67470)\n", v)
		os.Exit(1)
	}
	if language.CLDRVersion != "32" {
		fmt.Fprintf(os.Stderr, "format-oracle: golang.org/x/text has CLDR %s, v0.7.0 has 32\n", language.CLDRVersion)
		os.Exit(1)
	}
	if info, ok := debug.ReadBuildInfo(); ok { // module mode only; GOPATH mode lists no modules
		for _, dep := range info.Deps {
			if dep.Path == "golang.org/x/text" && (dep.Version != "v0.7.0" || dep.Replace != nil) {
				fmt.Fprintf(os.Stderr, "format-oracle: built with golang.org/x/text %s, v0.7.0 is pinned\n", dep.Version)
				os.Exit(1)
			}
		}
	}
}

func main() {
	checkToolchain()
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: format-oracle inputs.tsv > FormatRulesOracleCases.swift")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "format-oracle:", err)
		os.Exit(1)
	}
	cases, err := readCases(f)
	f.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, "format-oracle:", os.Args[1]+":", err)
		os.Exit(1)
	}

	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(out, "// Generated by scripts/format-oracle (go run . inputs.tsv): expected results computed by running the Go code itself")
	fmt.Fprintf(out, "// (Go %s time/net/url + golang.org/x/text v0.7.0, making the calls of Authgear's checkers).\n",
		strings.TrimPrefix(runtime.Version(), "go"))
	fmt.Fprintln(out)
	fmt.Fprintln(out, "/// Oracle cases: (format, input, expected `details.error` or nil when accepted).")
	fmt.Fprintln(out, "enum OracleCases {")
	fmt.Fprintln(out, "    static let all: [(format: String, input: String, expected: String?)] = [")
	for _, c := range cases {
		expected := "nil"
		if err := checks[c.format](c.input); err != nil {
			expected = swiftQuote(err.Error())
		}
		fmt.Fprintf(out, "        (%s, %s, %s),\n", swiftQuote(c.format), swiftQuote(c.input), expected)
	}
	fmt.Fprintln(out, "    ]")
	fmt.Fprintln(out, "}")
	if err := out.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "format-oracle:", err)
		os.Exit(1)
	}
}
