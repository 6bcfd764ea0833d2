import Foundation
import TestSupport
import XCTest
@testable import MigrationCore

/// `CSVRowWriter` (CSV row → request bytes directly) against the general path (fields → `JSONValue`
/// by the mapping → `JSONWriter`): the same bytes for every row, and the same refusals.
final class CSVRowWriterTests: XCTestCase {
    let mapping: JSONValue = .obj([
        "Verified": .obj(["field": .string("email_verified")]),
        "Active": .obj(["field": .string("disabled"), "type": .string("boolean"), "true": .array([.string("no")]), "false": .array([.string("yes")])]),
        "Age": .obj(["field": .string("custom_attributes.age"), "type": .string("integer")]),
        "Score": .obj(["field": .string("custom_attributes.score"), "type": .string("number")]),
        "Tags": .obj(["field": .string("groups"), "separator": .string("|")]),
        "Codes": .obj(["field": .string("custom_attributes.codes"), "type": .string("list"), "separator": .string("||")]),
        "Meta": .obj(["field": .string("custom_attributes.meta"), "type": .string("json")]),
    ])
    let header = "email,Verified,name,phone_number,password_hash,custom_attributes.member_id,address.country,roles,Active,Age,Score,Tags,Codes,mfa.totp.secret,Meta"

    /// Both paths over every record of `csv`; returns how many rows the direct writer wrote itself.
    @discardableResult
    func assertSameBytes(_ csv: String, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let path = TestFiles.write(csv, name: "users.csv")
        let index = try RecordIndex.open(path: path, format: .csv, mapping: mapping)
        try index.waitUntilComplete()
        let layout = try XCTUnwrap(index.csv)
        var direct = 0
        for n in 0..<index.count {
            let span = index.span(n)
            var general: [UInt8]?
            if case .success(let value) = index.loadRecord(n) { general = JSONWriter().bytes(value) }
            var sent: [UInt8] = [0x2A]
            let ok = index.recordBytes(span: span, into: &sent)
            XCTAssertEqual(ok ? Array(sent.dropFirst()) : nil, general,
                           "row \(n) (line \(span.line)): \(String(decoding: index.rawBytes(span), as: UTF8.self).debugDescription)", file: file, line: line)
            if !ok { XCTAssertEqual(sent, [0x2A], "a refused row writes nothing", file: file, line: line) }
            var mine: [UInt8] = []
            if layout.rowWriter.write(index.rawBytes(span), into: &mine) {
                direct += 1
                XCTAssertEqual(mine, general, "row \(n) written directly", file: file, line: line)
            } else {
                XCTAssertEqual(mine, [], file: file, line: line)
            }
        }
        return direct
    }

    func testVariedRowsGiveTheGeneralPathsBytes() throws {
        let rows = [
            // Plain, with an implied password type and nested objects.
            "a@x.com,true,Ada Lovelace,+85261234567,$2a$10$abcdefghijklmnopqrstuv,M1,HK,role_a;role_b,yes,42,1.5,g1|g2,c1||c2,JBSWY3DPEHPK3PXP,",
            // Empty cells: nested objects left out, an empty list kept.
            "b@x.com,,,,,,,;;,,,,,,,",
            // Quoting: commas, doubled quotes, a newline inside a quoted field, an empty quoted field.
            "\"c@x.com\",\" TRUE \",\"Lovelace, Ada \"\"the first\"\"\",\"\",x,\"M,2\",\"\",\" r1 ; r2 \",NO,+007,-.5, g1 | g2 |,,,\"{\"\"country\"\":\"\"HK\"\",\"\"n\"\":1.50}\"",
            "d@x.com,False,\"two\nlines\r\nand a tab\t\",,,,,,,,,,,,",
            // Unicode: text, list items with non-ASCII (and non-ASCII white space at their ends), booleans that are words.
            "ü@例え.jp,maybe,Zoë 日本語 \u{1F600},,,会員,香港,\u{00A0}管理者\u{00A0};編集者,oui,12a,1e3,ä|\u{2003}b,x||y,,",
            // Escapes the JSON writer needs: backslash, control bytes, a stray quote in an unquoted field.
            "e@x.com,tru\"e,back\\slash \u{01}\u{1F},,,,,a\"b,,,,,,,",
            "f@x.com,true,\"\"\"quoted\"\"\",,,,,,,,,,,,\"[1,2]\"",
            // Refused by both: too few / too many fields, a JSON cell that does not parse, text after a closing quote.
            "g@x.com,true",
            "h@x.com,true,,,,,,,,,,,,,,extra",
            "i@x.com,true,,,,,,,,,,,,,{bad",
            "\"j@x.com\"x,true,,,,,,,,,,,,,",
        ]
        let direct = try assertSameBytes(header + "\n" + rows.joined(separator: "\n") + "\n")
        XCTAssertGreaterThanOrEqual(direct, 7, "the plain rows are written directly, not by the general path")
    }

    /// Random cells from a pool of troublesome pieces, quoted when they need it.
    func testRandomRowsGiveTheGeneralPathsBytes() throws {
        var rng = SplitMix64(seed: 15)
        let pieces = ["a", "Z", " ", "\t", ",", "\"", ";", "|", "||", "é", "\u{00A0}", "\u{2028}", "\n", "true", "FALSE", "yes", "no", "日本",
                      "\\", "\u{01}", "{", "}", "1", "-", ".", "e", "+", "<&>", "\u{1F600}", "0"]
        var lines = [header]
        for _ in 0..<1500 {
            var cells: [String] = []
            for _ in 0..<15 {
                let count = Int(rng.next() % 4)
                let cell = (0..<count).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
                let needsQuotes = cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || rng.next() % 8 == 0
                cells.append(needsQuotes ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell)
            }
            lines.append(cells.joined(separator: ","))
        }
        let direct = try assertSameBytes(lines.joined(separator: "\n") + "\n")
        XCTAssertGreaterThan(direct, 300)
    }

    /// Without a mapping file (the default columns), as the benchmark's CSV.
    func testDefaultColumnsGiveTheGeneralPathsBytes() throws {
        let csv = "email,email_verified,name,phone_number,password.password_hash,custom_attributes.member_id,custom_attributes.tier,roles,groups\n"
            + "ada@example.com,true,Ada Lovelace,+85261000000,$2a$10$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,M100000,gold,role_a,g\n"
            + "grace@example.com,false,Grace Hopper,,,M100001,,,\n"
        let path = TestFiles.write(csv, name: "users.csv")
        let index = try RecordIndex.open(path: path, format: .csv)
        try index.waitUntilComplete()
        for n in 0..<index.count {
            var sent: [UInt8] = []
            XCTAssertTrue(index.csv!.rowWriter.write(index.rawBytes(index.span(n)), into: &sent))
            XCTAssertEqual(sent, JSONWriter().bytes(try index.loadRecord(n).get()))
        }
    }
}
