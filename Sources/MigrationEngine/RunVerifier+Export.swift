import AuthgearAPI
import Foundation
import MigrationCore

extension RunVerifier {
    /// How many times a refused (expired) download URL is replaced by a fresh one.
    static let downloadAttempts = 3
    /// Export lines between two releases of the source's mapped pages.
    static let releaseEvery = 20_000

    /// One export: each exported user is judged as its line arrives (the file is never held in
    /// memory); then the users the export did not contain are looked up by login ID.
    func verifyWithExport() async throws {
        summary.method = "export"
        var failedByLoginID: [String: Int] = [:]
        // A record that failed with DuplicatedIdentity holds a login ID some user has: not looked for.
        for k in entries.indices where entries.outcome(k) == nil && !entries.failedAsDuplicate(k) {
            if let record = sentRecord(k), let value = comparison.normalizedIdentifier(record) { failedByLoginID[value] = k }
        }
        summary.failedLookedFor = failedByLoginID.count
        onEvent(.progress(phase: "waiting for the export", done: 0, total: 0))
        let task = try await export.create()
        let type = workspace.settings.identifier.loginIDType.rawValue
        var seen = [Bool](repeating: false, count: entries.count)
        var lines = 0
        var parseFailure: UserExportError?
        var attempt = 0
        while true {
            attempt += 1
            let url = try await export.waitForDownloadURL(id: task.id)
            seen = [Bool](repeating: false, count: entries.count)
            let saved = (summary, customAttributes)
            lines = 0
            do {
                _ = try await export.download(url: url) { [self] bytes in
                    lines += 1
                    guard let json = try? JSONParser.parse(bytes), let user = ProjectUser(exportRecord: json) else {
                        parseFailure = .malformedFile(line: lines, message: "not a user record")
                        return false
                    }
                    customAttributes.observe(user)
                    if let k = entries.record(userID: user.id) {
                        if !seen[k] {  // a user repeated at a page edge is judged once
                            seen[k] = true
                            judge(k, user: user, byIdentifier: nil)
                        }
                    } else {
                        for value in user.loginIDValues(type: type) {
                            if let k = failedByLoginID[value], !seen[k] {
                                seen[k] = true
                                foundThoughFailed(k, user: user)
                            }
                        }
                    }
                    if lines % 10_000 == 0 { onEvent(.progress(phase: "reading the export", done: lines, total: 0)) }
                    // The records were read from the mapped source in about file order: drop its
                    // pages now and then, or a million records would stay resident (the file's size).
                    if lines % Self.releaseEvery == 0 { workspace.index.file.releasePages(0..<workspace.index.file.size) }
                    return true
                }
                break
            } catch {
                if let parseFailure { throw parseFailure }
                guard case .downloadRefused(let status, let snippet) = error, attempt < Self.downloadAttempts else { throw error }
                (summary, customAttributes) = saved
                onEvent(.notice("the download URL was refused (HTTP \(status): \(snippet)); asking for a fresh one"))
            }
        }
        onEvent(.progress(phase: "reading the export", done: lines, total: lines))
        let unseen = entries.indices.filter { entries.outcome($0) != nil && !seen[$0] }
        summary.exportMissed = unseen.count
        if !unseen.isEmpty {
            onEvent(.notice("the export (\(lines.groupedDigits) users) did not contain \(unseen.count.groupedDigits) of the run's users: looking them up by login ID"))
            try await lookUp(unseen, estimate: false)
        }
    }
}
