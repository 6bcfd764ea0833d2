import XCTest
import MigrationCore
@testable import MigratorUI
import TerminalKit

/// Render tests that assert styles, not only text: the faulty field of the record inspector is
/// underlined, and a `NO_COLOR` terminal keeps every attribute (bold, underline, reverse, dim)
/// while it loses every colour.
final class RenderStyleTests: XCTestCase {
    /// The records screen with record 1 (invalid email) selected, rendered at `w`×`h`.
    func recordsWithFaultyRecord(_ w: Int, _ h: Int) throws -> ScreenBuffer {
        var s = try Fixture.state(width: w, height: h)
        press(&s, .char("j"))
        return AppView.render(s)
    }

    func testTheFaultyFieldIsUnderlinedInTheInspectorAndNoOtherFieldIs() throws {
        for (w, h) in RenderSnapshotTests.sizes {
            let buffer = try recordsWithFaultyRecord(w, h)
            let faulty = buffer.styles(of: #""email": "grace.example.com""#)
            XCTAssertFalse(faulty.isEmpty, "\(w)x\(h)")
            XCTAssertEqual(faulty.indices.filter { !faulty[$0].underline }, [], "\(w)x\(h): cells of the faulty field not underlined")
            XCTAssertEqual(faulty.indices.filter { !faulty[$0].bold }, [], "\(w)x\(h): cells of the faulty field not bold")
            XCTAssertEqual(Set(faulty.map(\.foreground)), [.red], "\(w)x\(h): colour of the faulty field")
            // The valid field of the same record is drawn plain.
            let valid = buffer.styles(of: #""name": "Grace Hopper""#)
            XCTAssertFalse(valid.isEmpty, "\(w)x\(h)")
            XCTAssertEqual(Set(valid), [.plain], "\(w)x\(h): a valid field is styled")
            // The indentation before the faulty field is not underlined: only the field is marked.
            let at = try XCTUnwrap(buffer.find(#""email": "grace.example.com""#))
            XCTAssertFalse(buffer[at.x - 1, at.y].style.underline, "\(w)x\(h): the indentation is underlined")
        }
    }

    func testTheFaultyFieldRowHasTheExpectedAttributeMap() throws {
        let buffer = try recordsWithFaultyRecord(120, 40)
        let at = try XCTUnwrap(buffer.find(#""email": "grace.example.com""#))
        let map = buffer.attributeMap(at.y)
        let field = map.dropFirst(at.x).prefix(at.width)
        XCTAssertEqual(String(field), String(repeating: "3", count: at.width), "bold + underline over the field: \(map)")
        // The selected table row on the left is reverse video (4, or 5 where the status is bold).
        let row = String(map.prefix(8))
        XCTAssertTrue(row.allSatisfy { $0 == "4" || $0 == "5" }, "the selected row is not reversed: \(map)")
        XCTAssertEqual(String(buffer.colorMap(at.y).dropFirst(at.x).prefix(at.width)), String(repeating: "r", count: at.width))
    }

    func testNoColorKeepsBoldUnderlineAndReverseAndDropsEveryColour() throws {
        for (w, h) in RenderSnapshotTests.sizes {
            let coloured = try recordsWithFaultyRecord(w, h)
            let plain = coloured.monochrome
            XCTAssertEqual(plain.text, coloured.text, "\(w)x\(h): NO_COLOR changes no text")
            var colouredCells = 0
            for y in 0..<h {
                XCTAssertEqual(plain.attributeMap(y), coloured.attributeMap(y), "\(w)x\(h) row \(y): attributes lost without colour")
                XCTAssertEqual(plain.colorMap(y), String(repeating: ".", count: w), "\(w)x\(h) row \(y) keeps a colour")
                colouredCells += coloured.colorMap(y).filter { $0 != "." }.count
            }
            XCTAssertGreaterThan(colouredCells, 0, "\(w)x\(h): the colour render has colours to drop")
            // Meaning survives: the faulty field is still underlined and bold, the selection reverse,
            // the column headers bold and underlined, the title bold.
            let faulty = plain.styles(of: #""email": "grace.example.com""#)
            XCTAssertFalse(faulty.isEmpty)
            XCTAssertTrue(faulty.allSatisfy { $0.underline && $0.bold }, "\(w)x\(h): the faulty field without colour")
            let selected = try XCTUnwrap(plain.find("grace.example.com"))   // the table row comes first
            XCTAssertTrue(plain.styles(x: selected.x, y: selected.y, width: selected.width).allSatisfy(\.reverse),
                          "\(w)x\(h): the selected row without colour")
            XCTAssertTrue(plain.styles(of: "email").allSatisfy { $0.bold && $0.underline }, "\(w)x\(h): the column header")
            XCTAssertTrue(plain.styles(of: "authgear-migrate").allSatisfy(\.bold), "\(w)x\(h): the title")
        }
    }
}
