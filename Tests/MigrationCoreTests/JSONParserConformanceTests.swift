import XCTest
@testable import MigrationCore

/// RFC 8259 conformance in the style of JSONTestSuite: `y_` texts must parse, `n_` texts must be refused.
final class JSONParserConformanceTests: XCTestCase {
    /// Valid JSON texts (JSONTestSuite `y_` cases, inline).
    static let accepted: [(String, String)] = [
        ("y_array_empty", "[]"), ("y_array_empty_string", "[\"\"]"), ("y_array_nested", "[[[]],[{}]]"),
        ("y_array_with_spaces", " [ 1 , 2 ] "), ("y_array_heterogeneous", "[null, 1, \"1\", {}, true, false]"),
        ("y_object_empty", "{}"), ("y_object_empty_key", "{\"\":0}"), ("y_object_simple", "{\"a\":[]}"),
        ("y_object_duplicated_key", "{\"a\":\"b\",\"a\":\"c\"}"), ("y_object_with_newlines", "{\n\"a\": \"b\"\n}"),
        ("y_number_0", "0"), ("y_number_minus_zero", "-0"), ("y_number_int", "123"), ("y_number_negative", "-123"),
        ("y_number_real", "123.456789"), ("y_number_exp_capital_plus", "1E+2"), ("y_number_exp_minus", "1e-2"),
        ("y_number_real_fraction_exp", "123.456e78"), ("y_number_huge_exp", "0.4e00669999999999999999999999"),
        ("y_number_very_big", "100000000000000000000000000000000000000000000000000000000000"),
        ("y_number_0e1", "0e1"), ("y_number_0_dot_0", "0.0"), ("y_number_minus_0_dot_0e0", "-0.0e0"),
        ("y_string_simple", "\"asd\""), ("y_string_escapes", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""),
        ("y_string_u_escape", "\"\\u0061\\u30af\\u30EA\\u30b9\""), ("y_string_null_escape", "\"\\u0000\""),
        ("y_string_surrogate_pair", "\"\\uD834\\uDD1E\""), ("y_string_utf8", "\"€𝄞é\""),
        ("y_string_del", "\"\u{7F}\""), ("y_string_nonchar_ufffe", "\"\\uFFFE\""), ("y_string_u_plus_10ffff", "\"\u{10FFFF}\""),
        ("y_string_in_array_with_spaces", "[ \"a\" ]"), ("y_literal_true", "true"), ("y_literal_false", "false"),
        ("y_literal_null", "null"), ("y_structure_whitespace_all", " \t\r\n[ \t\r\n1 \t\r\n] \t\r\n"),
        ("y_string_backslash_at_end", "\"a\\\\\""), ("y_string_escaped_quote_only", "\"\\\"\""),
    ]

    /// Invalid JSON texts (JSONTestSuite `n_` cases, inline).
    static let refused: [(String, [UInt8])] = {
        let text: [(String, String)] = [
            ("n_empty", ""), ("n_whitespace_only", " \n\t "), ("n_escape_x", "\"\\x41\""), ("n_escape_a", "\"\\a\""),
            ("n_escape_capital_U", "\"\\U0041\""), ("n_escape_short_u", "\"\\u12\""), ("n_escape_u_nonhex", "\"\\u12G4\""),
            ("n_escape_at_end", "\"\\\""), ("n_escape_single_quote", "\"\\'\""),
            ("n_high_surrogate_alone", "\"\\uD800\""), ("n_high_surrogate_then_char", "\"\\uD800x\""),
            ("n_low_surrogate_alone", "\"\\uDC00\""), ("n_high_then_high", "\"\\uD800\\uD800\""),
            ("n_high_then_bmp", "\"\\uD800\\u0041\""), ("n_high_then_escape_n", "\"\\uD800\\n\""),
            ("n_leading_zero", "01"), ("n_leading_zeros_negative", "-01"), ("n_leading_zero_in_array", "[00]"),
            ("n_minus_alone", "-"), ("n_minus_space", "- 1"), ("n_dot_end", "1."), ("n_dot_start", ".5"),
            ("n_exp_empty", "1e"), ("n_exp_sign_only", "1e+"), ("n_plus_start", "+1"), ("n_hex", "0x1"),
            ("n_dot_exp", "1.e3"), ("n_array_trailing_comma", "[1,]"), ("n_array_comma_only", "[,]"),
            ("n_array_double_comma", "[1,,2]"), ("n_object_trailing_comma", "{\"a\":1,}"),
            ("n_object_comma_only", "{,}"), ("n_object_missing_colon", "{\"a\" 1}"), ("n_object_missing_value", "{\"a\":}"),
            ("n_object_unquoted_key", "{a:1}"), ("n_object_number_key", "{1:1}"), ("n_single_quote_string", "'a'"),
            ("n_single_quote_key", "{'a':1}"), ("n_NaN", "NaN"), ("n_Infinity", "Infinity"), ("n_minus_Infinity", "-Infinity"),
            ("n_nan_in_array", "[NaN]"), ("n_comment_line", "[1] // x"), ("n_comment_block", "/* x */ [1]"),
            ("n_comment_inside", "[1 /* x */]"), ("n_trailing_garbage", "[1]x"), ("n_two_values", "1 2"),
            ("n_two_objects", "{} {}"), ("n_unclosed_array", "[1"), ("n_unclosed_object", "{\"a\":1"),
            ("n_unclosed_string", "\"abc"), ("n_close_only", "]"), ("n_mismatched", "[}"), ("n_True", "True"),
            ("n_nul", "nul"), ("n_truex", "truex"), ("n_array_truex", "[truex]"), ("n_formfeed_ws", "\u{0C}[]"),
            ("n_nbsp_ws", "\u{A0}[]"), ("n_bom_text", "\u{FEFF}[]"), ("n_object_colon_twice", "{\"a\"::1}"),
        ]
        var cases = text.map { ($0.0, Array($0.1.utf8)) }
        // Raw control characters 0x00-0x1F inside a string.
        for c in UInt8(0)...UInt8(0x1F) { cases.append(("n_raw_control_\(c)", [0x22, c, 0x22])) }
        // Invalid UTF-8 inside a string.
        let badUTF8: [(String, [UInt8])] = [
            ("overlong_C0_80", [0xC0, 0x80]), ("overlong_C1_BF", [0xC1, 0xBF]), ("overlong_E0_80_80", [0xE0, 0x80, 0x80]),
            ("overlong_F0_80_80_80", [0xF0, 0x80, 0x80, 0x80]), ("surrogate_ED_A0_80", [0xED, 0xA0, 0x80]),
            ("surrogate_ED_BF_BF", [0xED, 0xBF, 0xBF]), ("above_10FFFF_F4_90", [0xF4, 0x90, 0x80, 0x80]),
            ("F5_lead", [0xF5, 0x80, 0x80, 0x80]), ("FF_byte", [0xFF]), ("lone_continuation", [0x80]),
            ("truncated_2", [0xC3]), ("truncated_3", [0xE2, 0x82]), ("truncated_4", [0xF0, 0x9D, 0x84]),
            ("bad_second_byte", [0xC3, 0x41]), ("continuation_after_ascii", [0x41, 0xBF]),
        ]
        for (name, b) in badUTF8 { cases.append(("n_utf8_" + name, [0x22] + b + [0x22])) }
        cases.append(("n_utf8_outside_string", [0x5B, 0xC3, 0xA9, 0x5D]))
        return cases
    }()

    func testEveryValidTextIsAccepted() {
        for (name, text) in Self.accepted {
            do { _ = try JSONParser.parse(text) } catch { XCTFail("\(name): \(text.debugDescription) refused: \(error)") }
        }
    }

    func testEveryInvalidTextIsRefused() {
        for (name, bytes) in Self.refused {
            if let v = try? JSONParser.parse(bytes) { XCTFail("\(name): \(bytes) accepted as \(v)") }
        }
    }

    func testEscapesDecodeToTheRightCharacters() {
        XCTAssertEqual(parseOK("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""), .string("\"\\/\u{08}\u{0C}\n\r\t"))
        XCTAssertEqual(parseOK("\"\\u0000\"")?.stringValue?.unicodeScalars.map(\.value), [0])
        XCTAssertEqual(parseOK("\"a\\u00e9b\""), .string("aéb"))
        XCTAssertEqual(parseOK("\"\\u20AC\""), .string("€"))
    }

    func testSurrogatePairsProduceTheRightScalar() {
        XCTAssertEqual(parseOK("\"\\uD834\\uDD1E\"")?.stringValue?.unicodeScalars.map(\.value), [0x1D11E])
        XCTAssertEqual(parseOK("\"\\uD83D\\uDE00\"")?.stringValue?.unicodeScalars.map(\.value), [0x1F600])
        XCTAssertEqual(parseOK("\"\\udbff\\udfff\"")?.stringValue?.unicodeScalars.map(\.value), [0x10FFFF])
        XCTAssertEqual(parseOK("\"\\uD800\\uDC00\"")?.stringValue?.unicodeScalars.map(\.value), [0x10000])
    }

    func testRawUTF8IsKept() {
        XCTAssertEqual(parseOK("\"日本語 𝄞\""), .string("日本語 𝄞"))
        XCTAssertEqual(parseOK("{\"ключ\":\"значение\"}")?["ключ"], .string("значение"))
    }

    func testNumbersAreKeptAsWritten() {
        for text in ["1.0", "-0", "1E+2", "1e2", "0.10", "-12.5e-3", "12345678901234567890123"] {
            XCTAssertEqual(parseOK(text), .number(text))
            XCTAssertEqual(parseOK("[\(text)]"), .array([.number(text)]))
        }
    }

    func testDuplicateKeysAreKeptInOrder() {
        let v = parseOK("{\"a\":1,\"b\":2,\"a\":3}")
        XCTAssertEqual(v, .object([JSONMember("a", .number("1")), JSONMember("b", .number("2")), JSONMember("a", .number("3"))]))
        XCTAssertEqual(v?["a"], .number("3"), "subscript gives the last duplicate")
    }

    func testStructuresParseToTheExpectedValues() {
        XCTAssertEqual(parseOK("[1,[2,{}],{\"k\":[true,false,null]}]"), .array([
            .number("1"), .array([.number("2"), .object([])]),
            .object([JSONMember("k", .array([.bool(true), .bool(false), .null]))]),
        ]))
        XCTAssertEqual(parseOK("  \"x\"  "), .string("x"))
        XCTAssertEqual(parseOK("{\"a\":{\"b\":{\"c\":\"d\"}}}")?["a"]?["b"]?["c"], .string("d"))
    }

    func testDeepButLegalNestingParses() {
        let depth = JSONParser.defaultMaxDepth
        let text = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        var v = parseOK(text)
        var levels = 0
        while case .array(let items)? = v { levels += 1; v = items.first }
        XCTAssertEqual(levels, depth)
        XCTAssertEqual(v, .number("1"))
        let objects = String(repeating: "{\"a\":", count: 500) + "null" + String(repeating: "}", count: 500)
        XCTAssertNotNil(parseOK(objects))
    }

    /// maxDepth counts every container, including an empty innermost one (Go stops at 10,000 levels).
    func testMaxDepthCountsEmptyInnermostContainer() {
        XCTAssertNoThrow(try JSONParser.parse("[[1]]", maxDepth: 2))
        XCTAssertNoThrow(try JSONParser.parse("[[]]", maxDepth: 2))
        XCTAssertNotNil(parseError(Array("[[[1]]]".utf8), maxDepth: 2))
        XCTAssertNotNil(parseError(Array("[[[]]]".utf8), maxDepth: 2), "three levels of arrays with maxDepth 2")
        XCTAssertNotNil(parseError(Array("[[{}]]".utf8), maxDepth: 2), "three levels with an empty object innermost")
    }

    func testEmptyAndWhitespaceInputMessages() {
        XCTAssertEqual(parseError("")?.offset, 0)
        XCTAssertEqual(parseError("   ")?.offset, 3)
        XCTAssertTrue(parseError("")?.message.contains("end of input") ?? false)
    }
}
