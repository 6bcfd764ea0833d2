import AuthgearAPI
import Foundation
import MigrationCore

extension RunVerifier {
    /// How many times a refused (expired) download URL is replaced by a fresh one.
    static let downloadAttempts = 3

    /// One export: each exported user is judged as its line arrives (the file is never held in
    /// memory); then the users the export did not contain are looked up by login ID.
    func verifyWithExport() async throws {
        summary.method = "export"
        var byUserID: [String: Int] = [:]
        var failedByLoginID: [String: Int] = [:]
        for (k, e) in entries.enumerated() {
            if e.outcome != nil {
                if let id = e.userID { byUserID[id] = k }
            } else if let record = sentRecord(k), let value = comparison.normalizedIdentifier(record) {
                failedByLoginID[value] = k
            }
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
            let saved = summary
            lines = 0
            do {
                _ = try await export.download(url: url) { [self] bytes in
                    lines += 1
                    guard let json = try? JSONParser.parse(bytes), let user = ProjectUser(exportRecord: json) else {
                        parseFailure = .malformedFile(line: lines, message: "not a user record")
                        return false
                    }
                    if let k = byUserID[user.id] {
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
                    return true
                }
                break
            } catch {
                if let parseFailure { throw parseFailure }
                guard case .downloadRefused(let status, let snippet) = error, attempt < Self.downloadAttempts else { throw error }
                summary = saved
                onEvent(.notice("the download URL was refused (HTTP \(status): \(snippet)); asking for a fresh one"))
            }
        }
        onEvent(.progress(phase: "reading the export", done: lines, total: lines))
        let unseen = entries.indices.filter { entries[$0].outcome != nil && !seen[$0] }
        summary.exportMissed = unseen.count
        if !unseen.isEmpty {
            onEvent(.notice("the export (\(lines.groupedDigits) users) did not contain \(unseen.count.groupedDigits) of the run's users: looking them up by login ID"))
        }
        for (i, k) in unseen.enumerated() {
            try Task.checkCancellation()
            try await lookUp(k)
            if (i + 1) % 100 == 0 || i + 1 == unseen.count { onEvent(.progress(phase: "looking up users", done: i + 1, total: unseen.count)) }
        }
    }
}
