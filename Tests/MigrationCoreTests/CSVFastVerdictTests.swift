import XCTest
@testable import MigrationCore

/// A CSV row of the project's own columns is judged on the pass's fast path from the request
/// bytes `CSVRowWriter` writes; the full validator's verdict (`ValidationPass.verdict`, which
/// builds the row's `JSONValue`) must be the same for every row: issues, their order, size, status.
final class CSVFastVerdictTests: XCTestCase {
    private let hash = "$2a$10$" + String(repeating: "b", count: 53)

    func testEveryRowsFastVerdictIsTheFullValidatorsVerdict() throws {
        let header = "email,email_verified,name,phone_number,password.password_hash,custom_attributes.member_id,roles,nickname\n"
        let rows = [
            "a@example.com,true,Ada,+85291234567,\(hash),m-1,role_a;role_b,ada",           // valid
            "b@example.com,FALSE,\"Bob, Jr.\",,,m-2,,",                                    // quoted comma
            "c@example.com,true,5\" tall,,\(hash),m-3,role_a,x\"y",                          // stray quotes: one warning
            "not-an-email,true,Dee,,,m-4,,",                                               // error: email
            "e@example.com,maybe,Eve,,,m-5,,",                                             // error: email_verified
            "f@example.com,true,Fay,98765432,,m-6,,",                                      // error: phone
            "g@example.com,true,Gil,,$2a$10$short,m-7,,",                                  // error: hash
            "h@example.com,true,Hal,,,m-8,,,extra",                                        // too many fields
            "i@example.com,true,\"Ian\"x,,,m-9,,",                                         // text after a closing quote
            "j@example.com,true,Jürgen Ünal,,,m-10, role_a ; ;role_b ,jü",                 // non-ASCII, list trimming
            ",true,No Email,,,m-11,,",                                                     // no identifier
            "l@example.com,true,\"He said \"\"hi\"\"\",,,m-12,,",                          // doubled quotes
            "m@example.com,true,Mo\" ,+85291234568,,m-13,,",                               // stray quote and a phone
        ]
        let path = TestFiles.write(header + rows.joined(separator: "\n") + "\n", name: "fast-verdicts.csv")
        let index = try RecordIndex.open(path: path)
        XCTAssertNil(index.finish())
        XCTAssertNotNil(index.csv)
        XCTAssertNil(index.recordMapping)
        let pass = ValidationPass(index: index, settings: ValidationSettings(identifier: .email))
        let report = pass.run()
        XCTAssertEqual(report.recordCount, rows.count)
        for n in 0..<report.recordCount {
            let slow = pass.verdict(n)
            XCTAssertEqual(report.issues[n] ?? [], slow.issues, "row \(n): \(rows[n])")
            XCTAssertEqual(Int(report.recordSizes[n]), slow.size, "row \(n): \(rows[n])")
            let status: ValidationReport.Status = slow.issues.isEmpty ? .valid
                : slow.issues.contains { $0.severity == .error } ? .errors : .warnings
            XCTAssertEqual(report.status[n], status, "row \(n): \(rows[n])")
        }
        // The rows cover what the comparison is for: warnings and errors both occur.
        XCTAssertEqual(report.issues[2]?.filter { $0.rule == "csv.quote_in_unquoted_field" }.count, 1)
        XCTAssertTrue(report.status.contains(.errors))
        XCTAssertEqual(report.status[0], .valid)
    }
}
