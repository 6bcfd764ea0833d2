import Foundation
import MigrationCore
import MigrationEngine
@testable import MigratorUI
import TerminalKit
import TestSupport

/// A small source with realistic defects, opened and validated as the TUI would.
enum Fixture {
    static let hash = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
    static let records: [String] = [
        #"{"email": "ada@example.com", "name": "Ada Lovelace", "password": {"type": "bcrypt", "password_hash": "\#(hash)"}}"#,
        #"{"email": "grace.example.com", "name": "Grace Hopper"}"#,
        #"{"email": "taro@example.jp", "name": "山田太郎", "phone_number": "+81312345678"}"#,
        #"{"email": "alan@example.com", "name": "Alan Turing", "email_verified": "yes"}"#,
        #"{"email": "edsger@example.com", "name": "Edsger Dijkstra"}"#,
        #"{"email": "barbara@example.com", "name": "Barbara Liskov", "custom_attributes": {"tier": "gold"}}"#,
        #"{"email": "ken@example.com", "name": "Ken Thompson"}"#,
        #"{"email": "dennis@example.com", "name": "Dennis Ritchie"}"#,
        #"{"email": "radia@example.com", "name": "Radia Perlman"}"#,
        #"{"email": "linus@example.com", "name": "Linus Torvalds"}"#,
        #"{"email": "margaret@example.com", "name": "Margaret Hamilton"}"#,
        #"{"email": "frances@example.com", "name": "Frances Allen"}"#,
    ]

    /// Writes the records as a JSON array into a new temporary directory and opens them.
    static func session(records: [String] = records, validate: Bool = true) throws -> SourceSession {
        let dir = URL(fileURLWithPath: TempDirectory(prefix: "migratorui").path)
        let path = dir.appendingPathComponent("users.json").path
        try Data(("[\n" + records.joined(separator: ",\n") + "\n]\n").utf8).write(to: URL(fileURLWithPath: path))
        let index = try RecordIndex.open(path: path)
        try index.waitUntilComplete()
        let workspace = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email))
        if validate { workspace.validate() }
        return SourceSession(path: path, workspace: workspace, mappingPath: nil, editsPath: dir.appendingPathComponent("edits.json").path)
    }

    /// A state on the records screen of the fixture, as after opening and validating.
    static func state(width: Int = 120, height: Int = 40, session: SourceSession? = nil) throws -> AppState {
        var state = AppState()
        state.size = (width, height)
        state.now = Date(timeIntervalSince1970: 1_800_000_000)
        let s = try session ?? Fixture.session()
        state.session = s
        state.loading = LoadingState(path: s.path, indexed: s.count, indexFraction: 1, indexComplete: true,
                                     validated: s.count, validationTotal: s.count, validationComplete: true)
        state.screen = .records
        state.settings.endpoint = "https://myapp.authgear.cloud"
        state.settings.projectID = "myapp"
        state.settings.keyID = "kid-1"
        state.settings.keyFile = "/keys/admin.pem"
        // As counted by the live handler for a journal without earlier runs of this source.
        state.launchDelta = LaunchDelta(endpoint: state.settings.endpoint, projectID: state.settings.projectID, identifier: .email,
                                        done: 0, sendable: s.totals?.sendable ?? 0, text: "")
        return state
    }
}

/// Runs keys through update, returning every effect.
@discardableResult
func press(_ state: inout AppState, _ keys: Key...) -> [Effect] {
    keys.flatMap { Update.update(&state, .key($0)) }
}

/// Types text into an open prompt.
func type(_ state: inout AppState, _ text: String) {
    for c in text { _ = Update.update(&state, .key(.char(c))) }
}

/// An effect handler that records effects (the runtime tests use it).
final class RecordingHandler: EffectHandler {
    var effects: [Effect] = []
    func perform(_ effect: Effect, state: AppState, mailbox: Mailbox) { effects.append(effect) }
}
