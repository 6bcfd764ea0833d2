import AuthgearAPI
import Foundation
import MigrationCore
@testable import MigrationEngine
import XCTest

/// The engine's retry policy: what each client error makes the runner do (`ClientImportService.classify`).
/// A POST whose outcome is unknown is re-sent as the same batch (never dropped, never sent as a
/// new one); a GET is simply asked again; a refused request fails its records; settings problems stop.
final class EnginePolicyTests: XCTestCase {
    private func kind(_ error: ImportAPIError, post: Bool) -> String {
        switch ClientImportService.classify(error, isPOST: post) {
        case .forbidden: return "stop"
        case .quota: return "pause until reset"
        case .rateLimited: return "wait and retry"
        case .notFound: return "recover"
        case .notSent: return "retry"
        case .outcomeUnknown: return "re-send, mark interrupted"
        case .transient: return "retry"
        case .rejected: return "records fail"
        case .cancelled: return "cancelled"
        }
    }

    func testEveryClientErrorHasTheEnginesDecision() {
        let body = APIErrorBody(name: "InternalError", reason: "UnexpectedError", message: "m", code: 500, info: nil)
        let cases: [(ImportAPIError, post: String, get: String)] = [
            (.server(status: 500, body: body, snippet: nil, retryAfter: nil), "re-send, mark interrupted", "retry"),
            (.server(status: 502, body: nil, snippet: "Bad Gateway", retryAfter: nil), "re-send, mark interrupted", "retry"),
            (.server(status: 503, body: nil, snippet: "Unavailable", retryAfter: nil), "retry", "retry"),
            (.transport(.outcomeUnknown("dropped")), "re-send, mark interrupted", "retry"),
            (.transport(.notSent("refused")), "retry", "retry"),
            (.transport(.certificate("self-signed")), "stop", "stop"),
            (.transport(.cancelled), "cancelled", "cancelled"),
            (.unexpectedResponse(status: 200, snippet: "OK"), "re-send, mark interrupted", "retry"),
            (.forbidden(clockSkew: nil), "stop", "stop"),
            (.endpointNotFound(snippet: "404"), "stop", "stop"),
            (.usageLimitExceeded(period: "day", resetsAt: Date()), "pause until reset", "pause until reset"),
            (.rateLimited(retryAfter: 2), "wait and retry", "wait and retry"),
            (.jobNotFound(id: "x"), "recover", "recover"),
            (.bodyTooLarge(limit: 500_000), "records fail", "records fail"),
            (.invalidJSON(message: "m", byteOffset: 3), "records fail", "records fail"),
            (.contentType(message: "m"), "records fail", "records fail"),
        ]
        for (error, post, get) in cases {
            XCTAssertEqual(kind(error, post: true), post, "POST \(error)")
            XCTAssertEqual(kind(error, post: false), get, "GET \(error)")
        }
    }

    /// Each error type says its exit status (README "Exit status"); only records without an outcome mean 1.
    func testErrorsCarryTheirExitStatus() {
        let failures: [(any CommandFailure, Int32)] = [
            (RunStop.unaccounted([3]), 1),
            (RunStop.interrupted, 2),
            (RunStop.forbidden("no"), 2),
            (JournalError(path: "/j", kind: .damaged, detail: "d", hint: "h"), 2),
            (RunCoordinator.Failure("unfinished run"), 2),
            (SourceError(path: "/s", message: "not a source"), 2),
            (ConnectionSettingsError.profileFileMissing(name: "p", path: "/x"), 2),
        ]
        for (failure, status) in failures { XCTAssertEqual(failure.exitStatus, status, "\(failure)") }
    }
}
