import XCTest
import MigrationCore
@testable import MigratorUI
import TerminalKit

/// Record numbers are shown whole however many records there are (10M rows: seven digits).
final class RecordNumberWidthTests: XCTestCase {
    func testTheNumberColumnFitsTheLargestRecordNumber() {
        XCTAssertEqual(RecordsView.numberWidth(largest: 11), 3)
        XCTAssertEqual(RecordsView.numberWidth(largest: 9_999_999), 7)
        XCTAssertEqual(RecordsView.numberWidth(largest: 123_456_789), 9)
        for count in [12, 1_000_001, 10_000_000, 123_456_790] {
            let cols = RecordsView.columns(count: count, names: ["email", "name"], width: 120, withResult: false)
            XCTAssertEqual(cols[0].width, String(count - 1).count < 3 ? 3 : String(count - 1).count, "\(count)")
            // Drawn: the last record's number ends before the status column starts.
            let table = Table(columns: cols, rowCount: count, top: count - 1) { r in
                [Table.Cell(String(r)), Table.Cell("ok"), Table.Cell("a@example.com"), Table.Cell("A")]
            }
            var buffer = ScreenBuffer(width: 120, height: 2)
            table.render(into: &buffer, area: buffer.bounds)
            XCTAssertTrue(buffer.line(1).drop { $0 == " " }.hasPrefix(String(count - 1) + " ok "), "\(count): \(buffer.line(1))")
        }
    }

    func testReviewShowsAnEightDigitRecordNumberWhole() throws {
        var s = try Fixture.state(width: 120, height: 40)
        s.run.runID = "run-1"
        s.screen = .review
        _ = Update.update(&s, .reviewLoaded(tab: .failed, groups: [
            ReviewState.Group(key: "UnexpectedError", records: [
                ReviewState.Item(record: 12_345_678, identifier: "linus@example.com", reason: "UnexpectedError", message: "unexpected error"),
            ]),
        ]))
        let buffer = AppView.render(s)
        XCTAssertNotNil(buffer.find("12345678  linus@example.com"), buffer.text)
    }
}
