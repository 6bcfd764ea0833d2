import XCTest
@testable import MigrationCore

/// `JSONWriter` output and `JSONCompactor` white-space stripping.
final class JSONWriterTests: XCTestCase {
    func testRoundTripsKeepOrderDuplicatesAndNumberSpelling() throws {
        let texts = [
            "{\"b\":1,\"a\":[1.0,-0,1E+2,true,false,null],\"b\":\"x\"}",
            "[]", "{}", "[{}]", "\"\"", "-0.0e-0", "[\"\\\"\\\\\"]",
            "{\"nested\":{\"k\":[{\"z\":\"é𝄞\"}]}}",
        ]
        for text in texts {
            let v = try JSONParser.parse(text)
            XCTAssertEqual(JSONWriter().string(v), text)
            XCTAssertEqual(try JSONParser.parse(JSONWriter().bytes(v)), v)
            XCTAssertEqual(v.jsonText, text)
        }
    }

    func testControlCharactersAreEscaped() {
        XCTAssertEqual(JSONWriter().string(.string("a\nb\rc\td")), "\"a\\nb\\rc\\td\"")
        XCTAssertEqual(JSONWriter().string(.string("\u{00}\u{01}\u{08}\u{0C}\u{1F}")), "\"\\u0000\\u0001\\u0008\\u000c\\u001f\"")
        XCTAssertEqual(JSONWriter().string(.string("q\"b\\")), "\"q\\\"b\\\\\"")
        XCTAssertEqual(JSONWriter().string(.string("/")), "\"/\"")
        for c in 0..<0x20 {
            let s = String(UnicodeScalar(UInt8(c)))
            let out = JSONWriter().bytes(.string(s))
            XCTAssertFalse(out.contains { $0 < 0x20 }, "raw control \(c) in output")
            XCTAssertEqual(try JSONParser.parse(out), .string(s))
        }
    }

    func testEveryScalarRoundTrips() throws {
        var scalars = ""
        for v in stride(from: 0, to: 0x11_0000, by: 97) {
            if let u = UnicodeScalar(v) { scalars.unicodeScalars.append(u) }
        }
        let out = JSONWriter().bytes(.string(scalars))
        XCTAssertEqual(try JSONParser.parse(out).stringValue?.unicodeScalars.elementsEqual(scalars.unicodeScalars), true)
    }

    /// Without escapeHTML, `<`, `>`, `&`, U+2028 and U+2029 are written as themselves.
    func testNoHTMLEscapingByDefault() {
        XCTAssertEqual(JSONWriter().string(.string("<a>&b")), "\"<a>&b\"")
        XCTAssertEqual(JSONWriter().string(.string("\u{2028}\u{2029}")), "\"\u{2028}\u{2029}\"")
    }

    func testEscapeHTMLMatchesGo() {
        let w = JSONWriter(escapeHTML: true)
        XCTAssertEqual(w.string(.string("<a>&b")), "\"\\u003ca\\u003e\\u0026b\"")
        XCTAssertEqual(w.string(.string("\u{2028}\u{2029}")), "\"\\u2028\\u2029\"")
        XCTAssertEqual(w.string(.obj(["<k>": .string("&")])), "{\"\\u003ck\\u003e\":\"\\u0026\"}")
    }

    func testSortedKeysDeduplicatesLastWins() throws {
        let v = try JSONParser.parse("{\"b\":1,\"a\":2,\"b\":3,\"A\":4,\"é\":5,\"z\":{\"y\":1,\"x\":2,\"y\":0}}")
        XCTAssertEqual(JSONWriter(sortedKeys: true).string(v), "{\"A\":4,\"a\":2,\"b\":3,\"z\":{\"x\":2,\"y\":0},\"é\":5}")
        XCTAssertEqual(JSONWriter().string(v), "{\"b\":1,\"a\":2,\"b\":3,\"A\":4,\"é\":5,\"z\":{\"y\":1,\"x\":2,\"y\":0}}")
    }

    /// Go compares map keys byte for byte: "é" (U+00E9) and "e\u{301}" are two different keys.
    func testSortedKeysKeepsCanonicallyEquivalentKeysApart() throws {
        let v = try JSONParser.parse("{\"\\u00e9\":1,\"e\\u0301\":2}")
        let out = try JSONParser.parse(JSONWriter(sortedKeys: true).bytes(v))
        XCTAssertEqual(out.objectValue?.count, 2, JSONWriter(sortedKeys: true).string(v))
        XCTAssertEqual(out.objectValue?.map { Array($0.key.utf8) }, [Array("e\u{301}".utf8), Array("\u{e9}".utf8)])
    }

    func testSortsByUTF8Bytes() {
        let v = JSONValue.obj(["\u{FF61}": .null, "\u{1F600}": .null, "~": .null, "a": .null])
        XCTAssertEqual(JSONWriter(sortedKeys: true).string(v), "{\"a\":null,\"~\":null,\"\u{FF61}\":null,\"\u{1F600}\":null}")
    }

    func testWriteAppendsToExistingBuffer() {
        var out: [UInt8] = Array("x=".utf8)
        JSONWriter().write(.array([.number("1")]), to: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "x=[1]")
    }

    // MARK: - Compactor

    private func compact(_ text: String) -> String {
        var out: [UInt8] = []
        Array(text.utf8).withUnsafeBytes { JSONCompactor.compact($0, into: &out) }
        let length = Array(text.utf8).withUnsafeBytes { JSONCompactor.compactLength($0) }
        XCTAssertEqual(length, out.count, "compactLength for \(text.debugDescription)")
        return String(decoding: out, as: UTF8.self)
    }

    func testCompactorStripsOnlyInsignificantWhitespace() {
        XCTAssertEqual(compact(" {\n  \"a b\" : [ 1 , 2.50 ,\t-0 ] ,\r\n \"c\":\"x  y\" }\n"), "{\"a b\":[1,2.50,-0],\"c\":\"x  y\"}")
        XCTAssertEqual(compact("{\"a\":1,\"a\":2}"), "{\"a\":1,\"a\":2}")
        XCTAssertEqual(compact("[ 1E+2 , 1e-0 ]"), "[1E+2,1e-0]")
    }

    func testCompactorRespectsEscapedQuotesAndBackslashes() {
        XCTAssertEqual(compact("{ \"k\" : \"a \\\" b \" }"), "{\"k\":\"a \\\" b \"}")
        XCTAssertEqual(compact("[ \"end\\\\\" , \" x \" ]"), "[\"end\\\\\",\" x \"]")
        XCTAssertEqual(compact("[\"\\\\\\\"  \" ,  1]"), "[\"\\\\\\\"  \",1]")
        XCTAssertEqual(compact("[\"\\u0020 \\n \" ]"), "[\"\\u0020 \\n \"]")
        XCTAssertEqual(compact("[\"é 𝄞\" , \"\\/\" ]"), "[\"é 𝄞\",\"\\/\"]")
    }

    func testCompactOutputParsesToTheSameValue() throws {
        let text = "{\n  \"email\" : \"a@b.c\",\n  \"name\" : \"A \\\"B\\\" C\",\n  \"roles\" : [ \"x\" , \"y\" ],\n  \"n\" : 1.50\n}"
        let compacted = compact(text)
        XCTAssertEqual(try JSONParser.parse(compacted), try JSONParser.parse(text))
        XCTAssertFalse(compacted.contains("\n"))
    }

    func testCompactLengthOnLargeInput() {
        var text = "["
        for i in 0..<5_000 { text += (i > 0 ? " ,\n " : "") + "{ \"k\" : \"v \\\" \\\\ \(i)\" }" }
        text += " ]"
        _ = compact(text)
    }

    /// The byte-run writer gives what escaping scalar by scalar gives, for every kind of character.
    func testStringWriterMatchesScalarByScalarEscaping() {
        func reference(_ s: String, html: Bool) -> [UInt8] {
            var out: [UInt8] = [0x22]
            for scalar in s.unicodeScalars {
                let v = scalar.value
                switch v {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += Array("\\n".utf8)
                case 0x0D: out += Array("\\r".utf8)
                case 0x09: out += Array("\\t".utf8)
                case 0..<0x20: out += Array(String(format: "\\u%04x", v).utf8)
                case 0x3C where html, 0x3E where html, 0x26 where html, 0x2028 where html, 0x2029 where html:
                    out += Array(String(format: "\\u%04x", v).utf8)
                default: out += Array(String(scalar).utf8)
                }
            }
            return out + [0x22]
        }
        let alphabet: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "/", "<", ">", "&", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}",
                                          "é", "山", "\u{2028}", "\u{2029}", "\u{2027}", "\u{E2}", "😀", "\u{FEFF}"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            var s = ""
            for _ in 0..<Int.random(in: 0..<12, using: &rng) { s.unicodeScalars.append(alphabet.randomElement(using: &rng)!) }
            for html in [false, true] {
                var out: [UInt8] = []
                JSONWriter(escapeHTML: html).writeString(s, to: &out)
                XCTAssertEqual(out, reference(s, html: html), "\(s.debugDescription) html \(html)")
            }
        }
    }

    /// Values nested past the recursion limit are written by the iterative writer, identically,
    /// and 10,000 levels do not overflow the stack.
    func testDeepNestingIsWrittenWholeAndSortedAtEveryDepth() throws {
        for depth in [1, 31, 32, 33, 40, 10_000] {
            var value = JSONValue.object([JSONMember("b", .number("1")), JSONMember("a", .string("x"))])
            for level in 0..<depth { value = level % 2 == 0 ? .array([.null, value]) : .object([JSONMember("k", value)]) }
            let leaf = #"{"a":"x","b":1}"#
            var expected = leaf
            for level in 0..<depth { expected = level % 2 == 0 ? "[null,\(expected)]" : #"{"k":"# + expected + "}" }
            XCTAssertEqual(JSONWriter(sortedKeys: true).string(value), expected, "depth \(depth)")
            XCTAssertEqual(JSONWriter().string(value), expected.replacingOccurrences(of: leaf, with: #"{"b":1,"a":"x"}"#), "depth \(depth)")
        }
    }
}
