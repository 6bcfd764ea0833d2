import XCTest
import MigrationCore
@testable import MigratorUI
import TerminalKit

/// The mapping step as pure updates and renders: a JSON source's preset rows (add, remove,
/// transform), a CSV's columns (type, skip), and the preview one record per line.
final class MappingStepTests: XCTestCase {
    static let firebaseRecord = #"""
    {"localId": "u1", "email": "Kim@Example.com", "emailVerified": true, "displayName": "Kim Lee",
     "createdAt": "1700000000000", "providerUserInfo": [], "customAttributes": "{\"tier\": \"gold\"}"}
    """#

    /// The step as it opens for a Firebase export: the preset's rows, the first record mapped through them.
    func firebaseStep(width: Int = 80, height: Int = 24) throws -> (AppState, RecordMapping, JSONValue) {
        let preset = try XCTUnwrap(SourcePresets.mapping("firebase"))
        let record = try JSONParser.parse(Self.firebaseRecord)
        var s = AppState()
        s.size = (width, height)
        let columns = SourceOpening.presetColumns(preset.document)
        XCTAssertEqual(Update.update(&s, .mappingNeeded(path: "/data/firebase-users.json", columns: columns)),
                       [.previewMapping(path: "/data/firebase-users.json", columns: columns)])
        _ = Update.update(&s, .mappingPreview(preview(preset.document, s.mapping.columns, record)))
        return (s, preset, record)
    }

    /// What LiveEffects previews, done in memory: the rows' document over the preset, applied to `record`.
    func preview(_ base: JSONValue, _ columns: [MappingState.Column], _ record: JSONValue) -> MappingPreview {
        let document = SourceOpening.presetDocument(columns, base: base)
        do {
            let mapping = try RecordMapping(document: document)
            return MappingPreview(rows: [.record(Secrets.masked(mapping.map(record).record))], sourcePaths: MappingChoices.sourcePaths(in: record))
        } catch {
            return MappingPreview(rows: [.problem("\(error)")], sourcePaths: MappingChoices.sourcePaths(in: record))
        }
    }

    func mapped(_ effects: [Effect], _ base: JSONValue, _ record: JSONValue) throws -> JSONValue {
        guard case .previewMapping(_, let columns)? = effects.last else {
            XCTFail("no preview effect: \(effects)")
            throw MappingStepFailure.noPreview
        }
        return try RecordMapping(document: SourceOpening.presetDocument(columns, base: base)).map(record).record
    }

    func testAFirebaseSourceShowsItsPresetRowsAndTransforms() throws {
        let (s, _, _) = try firebaseStep()
        XCTAssertTrue(s.mapping.preset)
        let screen = AppView.render(s).text
        XCTAssertTrue(screen.contains("Source mapping"), screen)
        XCTAssertTrue(screen.contains("source (JSON pointer)"), screen)
        XCTAssertTrue(screen.contains("transform"), screen)
        let emailRow = try XCTUnwrap(screen.split(separator: "\n").first { $0.contains("/email ") })
        XCTAssertTrue(emailRow.contains("→ email") && emailRow.contains("lowercase"), String(emailRow))
        let nameRow = try XCTUnwrap(screen.split(separator: "\n").first { $0.contains("/displayName") })
        XCTAssertTrue(nameRow.contains("→ name") && nameRow.contains("—"), String(nameRow))
        // The preview: the record as it will be sent, one line, a column per field.
        XCTAssertTrue(screen.contains("kim@example.com"), screen)
        XCTAssertTrue(screen.contains("custom_attributes.tier"), screen)
    }

    func testAddingARowPicksASourceSeenInTheRecordsThenAField() throws {
        var (s, preset, record) = try firebaseStep()
        XCTAssertEqual(press(&s, .char("+")), [])
        guard case .menu(let menu)? = s.overlay, case .mappingSource(let paths) = menu.purpose else { return XCTFail("no source menu: \(String(describing: s.overlay))") }
        XCTAssertEqual(paths, ["/localId", "/email", "/emailVerified", "/displayName", "/createdAt", "/providerUserInfo", "/customAttributes"])
        XCTAssertEqual(menu.items[1], "/email  (→ email)", "mapped paths say where they go")
        XCTAssertEqual(menu.items[menu.selected], "/localId", "the first path no row reads is offered first")
        XCTAssertEqual(menu.items.last, "other… (type a JSON pointer)")
        press(&s, .down, .down, .down, .down, .enter)
        guard case .menu(let fields)? = s.overlay, case .mappingTarget(source: "/createdAt", _) = fields.purpose else {
            return XCTFail("no field menu: \(String(describing: s.overlay))")
        }
        // A custom attribute: the prompt starts with the prefix.
        press(&s, .end, .up)
        XCTAssertEqual(s.overlay.flatMap { if case .menu(let m) = $0 { return m.selected } else { return nil } }, fields.items.count - 2)
        XCTAssertEqual(press(&s, .enter), [])
        XCTAssertEqual(s.prompt?.text.text, "custom_attributes.")
        type(&s, "signed_up")
        let added = press(&s, .enter)
        XCTAssertEqual(s.mapping.columns[s.mapping.selected].header, "/createdAt")
        XCTAssertEqual(s.mapping.columns[s.mapping.selected].field, "custom_attributes.signed_up")
        XCTAssertEqual(try mapped(added, preset.document, record)["custom_attributes"]?["signed_up"], .string("1700000000000"))
        XCTAssertNotNil(preset.document["not_imported"]?["/createdAt"])
        XCTAssertNil(SourceOpening.presetDocument(s.mapping.columns, base: preset.document)["not_imported"]?["/createdAt"],
                     "what a row now maps is no longer said not to be imported")
        XCTAssertNotNil(SourceOpening.presetDocument(s.mapping.columns, base: preset.document)["not_imported"]?["/providerUserInfo"])
        _ = Update.update(&s, .mappingPreview(preview(preset.document, s.mapping.columns, record)))

        // Its transform: timestamps to RFC 3339.
        press(&s, .char("t"))
        guard case .menu(let conversions)? = s.overlay, case .mappingConversion(let row, let choices) = conversions.purpose else {
            return XCTFail("no transform menu: \(String(describing: s.overlay))")
        }
        XCTAssertEqual(row, s.mapping.selected)
        XCTAssertEqual(conversions.title, "Transform of /createdAt")
        let rfc = try XCTUnwrap(choices.firstIndex(of: .transform(.rfc3339)))
        XCTAssertEqual(conversions.items[rfc], "  timestamps to RFC 3339 (epoch s/ms, SQL dates)")
        for _ in 0..<rfc { press(&s, .down) }
        let converted = press(&s, .enter)
        XCTAssertEqual(s.mapping.columns[row].entry, .obj(["field": .string("custom_attributes.signed_up"), "transform": .string("rfc3339")]))
        XCTAssertEqual(try mapped(converted, preset.document, record)["custom_attributes"]?["signed_up"], .string("2023-11-14T22:13:20.000Z"))
        _ = Update.update(&s, .mappingPreview(preview(preset.document, s.mapping.columns, record)))
        let screen = AppView.render(s)
        let createdRow = try XCTUnwrap(screen.text.split(separator: "\n").first { $0.contains("/createdAt") })
        XCTAssertTrue(createdRow.contains("custom_attributes.signed_up") && createdRow.contains("rfc3339"), String(createdRow))
        XCTAssertTrue(screen.text.contains("2023-11-14T22:13:20.000Z"), "the preview follows the selected row's field:\n\(screen.text)")

        // Removing it: the record no longer has it.
        let removed = press(&s, .char("-"))
        XCTAssertFalse(s.mapping.columns.contains { $0.header == "/createdAt" })
        XCTAssertNil(try mapped(removed, preset.document, record)["custom_attributes"]?["signed_up"])
    }

    func testAStripPrefixAsksForThePrefixAndNoneClearsIt() throws {
        var (s, preset, record) = try firebaseStep()
        let name = try XCTUnwrap(s.mapping.columns.firstIndex { $0.header == "/displayName" })
        for _ in 0..<name { press(&s, .down) }
        press(&s, .char("t"))
        guard case .menu(let menu)? = s.overlay, case .mappingConversion(_, let choices) = menu.purpose else { return XCTFail("no menu") }
        XCTAssertEqual(menu.items[0], "✓ none: the value as it is", "a row without options has none")
        for _ in 0..<(try XCTUnwrap(choices.firstIndex(of: .stripPrefix))) { press(&s, .down) }
        press(&s, .enter)
        XCTAssertEqual(s.prompt?.label, "/displayName: prefix to strip (empty = none): ")
        type(&s, "Kim ")
        let effects = press(&s, .enter)
        XCTAssertEqual(try mapped(effects, preset.document, record)["name"], .string("Lee"))
        press(&s, .char("t"))
        guard case .menu(let again)? = s.overlay else { return XCTFail("no menu") }
        XCTAssertEqual(again.items[again.selected], "✓ strip a prefix… (auth0| from an id, say)", "the choice in use is marked and selected")
        for _ in 0..<again.selected { press(&s, .up) }
        let cleared = press(&s, .enter)
        XCTAssertEqual(try mapped(cleared, preset.document, record)["name"], .string("Kim Lee"))
    }

    func testAddAndRemoveAreForJSONSourcesAndTheLastRowStays() throws {
        var s = AppState()
        _ = Update.update(&s, .mappingNeeded(path: "/data/u.csv", columns: [MappingState.Column(header: "email", field: "email")]))
        XCTAssertEqual(press(&s, .char("+")), [])
        XCTAssertNil(s.overlay, "a CSV's rows are its columns")
        XCTAssertEqual(s.status?.text, "+ add — not now: a CSV's rows are its header's columns: Enter maps one, d skips it")
        _ = Update.update(&s, .mappingNeeded(path: "/data/u.json", columns: [MappingState.Column(header: "/email", field: "email")]))
        XCTAssertEqual(press(&s, .char("-")), [])
        XCTAssertEqual(s.mapping.columns.count, 1)
        XCTAssertEqual(s.status?.kind, .error)
    }

    /// A typed path and a recent file are opened by the same effect as the list's entries,
    /// which says what a file that is no source is (MappingLiveTests checks its words).
    func testATypedPathAndARecentFileGoToTheOpeningThatRefusesNonSources() {
        var s = AppState()
        _ = Update.update(&s, .directoryListed(path: "/nonexistent-dir", entries: [], error: nil))
        _ = Update.update(&s, .recentLoaded(["/nonexistent-dir/README.md"]))
        press(&s, .char("o"))
        s.prompt?.text.set("/nonexistent-dir/README.md")
        XCTAssertEqual(press(&s, .enter), [.openSource(path: "/nonexistent-dir/README.md", mappingPath: nil)])
        press(&s, .tab)
        XCTAssertEqual(press(&s, .enter), [.openSource(path: "/nonexistent-dir/README.md", mappingPath: nil)])
        _ = Update.update(&s, .failed(SourceKind.refusal("README.md", is: "Markdown text")))
        XCTAssertEqual(s.status, .error("README.md is Markdown text, not a source: pick an export of users (a JSON array, NDJSON or CSV, or another system's export)"))
        XCTAssertEqual(s.screen, .picker)
    }

    // MARK: - CSV

    func csvStep(_ columns: [MappingState.Column], width: Int = 80, height: Int = 24) -> AppState {
        var s = AppState()
        s.size = (width, height)
        _ = Update.update(&s, .mappingNeeded(path: "/data/legacy.csv", columns: columns))
        return s
    }

    func testTheCSVPreviewCutsValuesAndKeepsOneRecordPerLine() throws {
        var s = csvStep([MappingState.Column(header: "email", field: "email"), MappingState.Column(header: "name", field: "name"),
                         MappingState.Column(header: "Notes", field: "custom_attributes.notes")])
        let long = String(repeating: "very long note ", count: 8) + "END"
        _ = Update.update(&s, .mappingPreview(MappingPreview(rows: [
            .record(.obj(["email": .string("ada@example.com"), "name": .string("Ada Lovelace"), "custom_attributes": .obj(["notes": .string(long)])])),
            .record(.obj(["email": .string("bob@example.com"), "name": .string("Bob")])),
        ])))
        let buffer = AppView.render(s)
        XCTAssertEqual(buffer.width, 80)
        let lines = buffer.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try XCTUnwrap(lines.firstIndex { $0.contains("email") && $0.contains("custom_attributes.notes") })
        XCTAssertTrue(lines[header + 1].contains("ada@example.com") && lines[header + 1].contains("Ada Lovelace"), lines[header + 1])
        XCTAssertTrue(lines[header + 1].contains("…"), "a long value is cut with an ellipsis: \(lines[header + 1])")
        XCTAssertTrue(lines[header + 2].contains("bob@example.com"), "the next record is on the next line: \(lines[header + 2])")
        XCTAssertFalse(buffer.text.contains("END"), "nothing of a value wraps onto another line")
        for y in 0..<24 { XCTAssertEqual(buffer.line(y).cellWidth, 80) }
    }

    func testTheCSVPreviewScrollsToTheSelectedColumnsField() throws {
        let fields = ["email", "given_name", "family_name", "nickname", "website", "locale", "zoneinfo", "custom_attributes.tier"]
        var s = csvStep(fields.map { MappingState.Column(header: $0, field: $0) })
        _ = Update.update(&s, .mappingPreview(MappingPreview(rows: [.record(.object(fields.map {
            JSONMember($0 == "custom_attributes.tier" ? "custom_attributes" : $0,
                       $0 == "custom_attributes.tier" ? .obj(["tier": .string("gold")]) : .string("value-of-\($0)-xxxxxxxx"))
        }))])))
        XCTAssertFalse(AppView.render(s).text.contains("gold"))
        XCTAssertTrue(AppView.render(s).text.contains("fields 1–"), "the title says how many fields are off screen")
        press(&s, .char("G"))
        XCTAssertTrue(AppView.render(s).text.contains("gold"), AppView.render(s).text)
    }

    func testASkippedColumnIsNeverMappedToItsHeaderName() throws {
        var s = csvStep([MappingState.Column(header: "email", field: "email"), MappingState.Column(header: "Full Name", field: nil)])
        // `d` on a column that maps nowhere asks for its field instead of using "Full Name".
        press(&s, .down)
        XCTAssertEqual(press(&s, .char("d")), [])
        XCTAssertNil(s.mapping.columns[1].field)
        XCTAssertEqual(s.prompt?.kind, .mappingTarget(header: "Full Name"))
        XCTAssertEqual(s.prompt?.text.text, "")
        type(&s, "Full Name")
        XCTAssertEqual(press(&s, .enter), [], "a header that is no field is refused")
        XCTAssertEqual(s.status?.kind, .error)
        XCTAssertNil(s.mapping.columns[1].field)
        s.prompt = nil
        // Skipped, then mapped again: to the field it had.
        press(&s, .up)
        let skipped = press(&s, .char("d"))
        XCTAssertNil(s.mapping.columns[0].field)
        XCTAssertEqual(skipped, [.previewMapping(path: "/data/legacy.csv", columns: s.mapping.columns)])
        XCTAssertTrue(AppView.render(s).text.contains("(skipped)"))
        press(&s, .char("d"))
        XCTAssertEqual(s.mapping.columns[0].field, "email")
    }

    func testColumnTypesAreShownAndCanBeSet() throws {
        var s = csvStep([MappingState.Column(header: "email", field: "email"), MappingState.Column(header: "Age", field: "custom_attributes.age"),
                         MappingState.Column(header: "Verified", field: "email_verified"), MappingState.Column(header: "Legacy", field: nil)])
        var screen = AppView.render(s)
        let ageRow = try XCTUnwrap(screen.text.split(separator: "\n").first { $0.contains("Age") })
        XCTAssertTrue(ageRow.contains("string"), String(ageRow))
        XCTAssertEqual(Set(screen.styles(of: "boolean")), [Theme.dim], "a field's default type is dimmed")
        press(&s, .down, .char("t"))
        guard case .menu(let menu)? = s.overlay, case .mappingConversion(1, let choices) = menu.purpose else { return XCTFail("no type menu") }
        XCTAssertEqual(menu.title, "Type of Age")
        XCTAssertEqual(menu.items[0], "✓ default for the field (string)")
        for _ in 0..<(try XCTUnwrap(choices.firstIndex(of: .type(.integer)))) { press(&s, .down) }
        let effects = press(&s, .enter)
        XCTAssertEqual(s.mapping.columns[1].entry, .obj(["field": .string("custom_attributes.age"), "type": .string("integer")]))
        XCTAssertEqual(effects, [.previewMapping(path: "/data/legacy.csv", columns: s.mapping.columns)])
        screen = AppView.render(s)
        let typed = try XCTUnwrap(screen.text.split(separator: "\n").first { $0.contains("Age") })
        XCTAssertTrue(typed.contains("integer"), String(typed))
        XCTAssertEqual(Set(screen.styles(of: "integer")), [Style(reverse: true)], "a type set is not dimmed (the row is selected)")
        // A list asks for its separator.
        press(&s, .char("t"))
        guard case .menu(let again)? = s.overlay else { return XCTFail("no type menu") }
        XCTAssertEqual(again.items[again.selected], "✓ integer: digits become a number")
        for _ in 0..<again.selected { press(&s, .up) }
        for _ in 0..<(try XCTUnwrap(choices.firstIndex(of: .split))) { press(&s, .down) }
        press(&s, .enter)
        XCTAssertEqual(s.prompt?.text.text, ";")
        s.prompt?.text.set("|")
        press(&s, .enter)
        XCTAssertEqual(s.mapping.columns[1].entry, .obj(["field": .string("custom_attributes.age"), "type": .string("list"), "separator": .string("|")]))
        // A skipped column has no type to set.
        press(&s, .char("G"))
        XCTAssertEqual(press(&s, .char("t")), [])
        XCTAssertNil(s.overlay)
        XCTAssertEqual(s.status?.kind, .error)
    }
}

private enum MappingStepFailure: Error { case noPreview }
