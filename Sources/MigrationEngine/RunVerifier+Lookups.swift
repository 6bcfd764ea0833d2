import AuthgearAPI
import Foundation
import MigrationCore
import Synchronization

/// How verify's GraphQL lookups wait and retry (reads only, so any retryable answer is retried):
/// a 429's `Retry-After`, else full-jitter exponential back-off, as the import runner does.
public struct LookupRetry: Sendable {
    public var maxAttempts = 8
    public var backoffBase = 0.5
    public var backoffCap = 30.0

    public init(maxAttempts: Int = 8, backoffBase: Double = 0.5, backoffCap: Double = 30.0) {
        self.maxAttempts = maxAttempts
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
    }

    func delay(attempt: Int, retryAfter: Double?) -> Double {
        retryAfter ?? Double.random(in: 0...min(backoffCap, backoffBase * pow(2, Double(attempt - 1))))
    }
}

extension RunVerifier {
    /// What the lookups of one record found.
    struct Found: Sendable {
        /// The user holding the record's identifier.
        var holder: ProjectUser?
        /// The user with the journal's user_id, when the holder is another one (or none).
        var byID: ProjectUser?
    }

    /// Retries counted across concurrent lookups, for one notice per kind.
    final class RetryCount: Sendable {
        let rateLimited = Mutex(0)
        let other = Mutex(0)
    }

    var loginIDKey: String {
        workspace.settings.project.loginIDKey(for: workspace.settings.identifier.loginIDType)?.key
            ?? workspace.settings.identifier.loginIDType.rawValue
    }

    /// Runs `call`, retrying what may succeed later: 429 (after its `Retry-After`), 5xx and
    /// transport failures, with back-off; anything else is thrown at once.
    func withRetry<T>(_ counts: RetryCount, _ call: () async throws(AdminGraphQLError) -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do { return try await call() } catch {
                guard case .api(let api) = error, api.isRetryable, attempt < retry.maxAttempts else { throw error }
                if case .rateLimited = api { counts.rateLimited.withLock { $0 += 1 } } else { counts.other.withLock { $0 += 1 } }
                try await Task.sleep(nanoseconds: UInt64(retry.delay(attempt: attempt, retryAfter: api.retryAfter) * 1e9))
            }
        }
    }

    /// The lookups for entry `k`: by login ID, then by its user_id when the identifier's user is another one.
    func fetch(_ k: Int, loginID: String?, userID: String?, checks: Bool, counts: RetryCount) async throws -> Found {
        var holder: ProjectUser?
        if let loginID {
            do {
                holder = try await withRetry(counts) { () async throws(AdminGraphQLError) in try await graphQL.userByLoginID(key: loginIDKey, value: loginID) }
            } catch let error as AdminGraphQLError where error.reason == "GetUsersInvalidArgument" {
                holder = nil
            }
        }
        guard checks else { return Found(holder: holder) }
        if let holder, userID == nil || holder.id == userID { return Found(holder: holder) }
        guard let userID else { return Found(holder: holder) }
        let byID = try await withRetry(counts) { () async throws(AdminGraphQLError) in try await graphQL.user(id: userID) }
        return Found(holder: holder, byID: byID)
    }

    /// Judges entry `k` from what its lookups found.
    func settle(_ k: Int, _ found: Found) {
        if let holder = found.holder { customAttributes.observe(holder) }
        if let byID = found.byID { customAttributes.observe(byID) }
        guard entries.outcome(k) != nil else {
            summary.failedLookedFor += 1
            // The identifier's user is the run's own user of another record (a duplicate left out), or
            // the record failed because its identity was taken (DuplicatedIdentity): not news.
            if let holder = found.holder, entries.record(userID: holder.id) == nil, !entries.failedAsDuplicate(k) {
                foundThoughFailed(k, user: holder)
            }
            return
        }
        if let holder = found.holder, entries.userID(k) == nil || holder.id == entries.userID(k) {
            judge(k, user: holder, byIdentifier: holder)
            return
        }
        judge(k, user: found.byID, byIdentifier: found.holder)
    }

    /// Looks `records` up with at most ``lookupConcurrency`` requests in flight and judges them
    /// in record order as their answers arrive.
    func lookUp<C: Collection<Int>>(_ records: C, estimate: Bool) async throws where C: Sendable {
        let total = records.count
        let width = max(1, lookupConcurrency)
        let started = Date()
        let counts = RetryCount()
        var told = (rateLimited: 0, other: 0)
        try await withThrowingTaskGroup(of: (Int, Int, Found).self) { group in
            var next = records.startIndex
            var launched = 0
            func launch() {
                guard next != records.endIndex else { return }
                let k = records[next]
                records.formIndex(after: &next)
                let position = launched
                launched += 1
                let loginID = sentRecord(k).flatMap(comparison.normalizedIdentifier)
                let userID = entries.userID(k)
                let checks = entries.outcome(k) != nil
                group.addTask { [self] in (position, k, try await fetch(k, loginID: loginID, userID: userID, checks: checks, counts: counts)) }
            }
            for _ in 0..<width { launch() }
            var ready: [Int: (Int, Found)] = [:]
            var done = 0
            while let answer = try await group.next() {
                ready[answer.0] = (answer.1, answer.2)
                launch()
                while let item = ready.removeValue(forKey: done) {
                    try Task.checkCancellation()
                    settle(item.0, item.1)
                    done += 1
                    if estimate, done == min(50, total), done < total {
                        let perRecord = Date().timeIntervalSince(started) / Double(done)
                        let seconds = Int((perRecord * Double(total - done)).rounded(.up))
                        onEvent(.notice("about \(Self.duration(seconds)) more at the measured \(String(format: "%.1f", perRecord * 1000)) ms per record (\(width) lookups at a time)"))
                    }
                    if done % 100 == 0 || done == total { onEvent(.progress(phase: "looking up users", done: done, total: total)) }
                }
                let now = (rateLimited: counts.rateLimited.withLock { $0 }, other: counts.other.withLock { $0 })
                if now.rateLimited > told.rateLimited, told.rateLimited == 0 {
                    onEvent(.notice("the server asked to slow down (HTTP 429): lookups wait as its Retry-After says and try again"))
                }
                if now.other > told.other, told.other == 0 {
                    onEvent(.notice("a lookup failed for a while (server or network error): retrying with back-off"))
                }
                told = now
            }
        }
    }

    func verifyWithLookups(estimate: Bool) async throws {
        summary.method = "lookups"
        try await lookUp(entries.indices, estimate: estimate)
    }

    static func duration(_ seconds: Int) -> String {
        if seconds < 90 { return "\(seconds) s" }
        if seconds < 5400 { return "\((seconds + 30) / 60) min" }
        return String(format: "%.1f h", Double(seconds) / 3600)
    }
}
