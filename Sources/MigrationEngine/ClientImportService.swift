import AuthgearAPI
import Foundation
import MigrationCore

/// `ImportService` over the real `ImportClient`: classifies each API failure by what the
/// engine must do (stop, pause, retry, re-send, give up on the request).
public struct ClientImportService: ImportService {
    public let client: ImportClient

    public init(client: ImportClient) {
        var c = client
        c.keepsRecordEcho = false   // the engine records outcomes, never record contents
        self.client = c
    }

    public func create(body: [UInt8]) async throws(ServiceError) -> JobSnapshot {
        do { return Self.snapshot(try await client.createJob(body: body)) } catch { throw Self.classify(error, isPOST: true) }
    }

    public func get(id: String) async throws(ServiceError) -> JobSnapshot {
        do { return Self.snapshot(try await client.getJob(id: id)) } catch { throw Self.classify(error, isPOST: false) }
    }

    static func classify(_ error: ImportAPIError, isPOST: Bool) -> ServiceError {
        switch error {
        // Stop the run: sending again cannot help until the settings (or the server's certificate) change.
        case .forbidden, .token, .endpointNotFound, .transport(.certificate): return .forbidden(error.description)
        case .usageLimitExceeded(let period, let resetsAt): return .quota(period: period, resetsAt: resetsAt)
        case .rateLimited(let after): return .rateLimited(after: after, message: error.description)
        case .jobNotFound: return .notFound(error.description)
        case .transport(.notSent(let m)): return .notSent(m)
        case .transport(.outcomeUnknown(let m)): return isPOST ? .outcomeUnknown(m) : .transient(m)
        case .transport(.cancelled): return .cancelled
        case .server:
            if isPOST && error.outcomeUnknown { return .outcomeUnknown(error.description) }
            return .transient(error.description)
        case .unexpectedResponse:
            // Not the Admin API answering (a proxy page, a redirect): it may or may not have passed the request on.
            return isPOST ? .outcomeUnknown(error.description) : .transient(error.description)
        case .bodyTooLarge, .invalidJSON, .invalidRequest, .contentType, .rejected:
            return .rejected(error.description)
        }
    }

    static func snapshot(_ job: ImportJob) -> JobSnapshot {
        JobSnapshot(id: job.id, completed: job.status == .completed, details: job.details.map { d in
            let e = d.errors.first
            return JobDetail(index: d.index, outcome: d.outcome, userID: d.userID, warnings: d.warnings,
                             errorReason: e?.reason, errorMessage: e?.message, errorCause: e?.causeKind, errorJSON: e.map(errorJSON))
        }, jobError: job.error?.description)
    }

    /// The server's error object as JSON text: name, reason, message, code, info (no record echo).
    static func errorJSON(_ e: APIErrorBody) -> String {
        var members = [JSONMember("name", .string(e.name)), JSONMember("reason", .string(e.reason)),
                       JSONMember("message", .string(e.message)), JSONMember("code", .number(String(e.code)))]
        if let info = e.info { members.append(JSONMember("info", info)) }
        return JSONValue.object(members).jsonText
    }
}
