import Foundation
import TestSupport
import XCTest
@testable import AuthgearAPI

/// `ImportClient.probe()`: each kind of answer, from a scripted transport and from the real sandbox.
final class ImportClientProbeTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    let date = HTTPHeader("Date", "Thu, 01 Jan 2026 00:00:03 GMT")

    private func probe(_ answer: Result<HTTPResponse, TransportError>) async -> (ImportProbe, ScriptedImportTransport) {
        let transport = ScriptedImportTransport([answer])
        let now = self.now
        let tokens = TokenProvider(minter: FixedTokenMinter(value: ImportClientTests.token), clock: { now })
        let client = ImportClient(endpoint: "https://myapp.authgear.cloud/", projectID: "myapp", tokens: tokens,
                                  transport: transport, userAgent: "authgear-migrate/1.0", timeout: 30, clock: { now })
        return (await client.probe(), transport)
    }

    func testTaskNotFoundMeansAuthenticatedAndTheRequestIsOneGETOfTheImpossibleJob() async throws {
        let (result, transport) = await probe(.success(importAPIJSONResponse(404,
            #"{"error":{"name":"NotFound","reason":"TaskNotFound","message":"task not found","code":404}}"#, headers: [date])))
        guard case .authenticated(let answer) = result else { return XCTFail("\(result)") }
        XCTAssertEqual(answer, ProbeAnswer(status: 404, serverDate: now.addingTimeInterval(3)))
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(transport.requests.count, 1)
        XCTAssertEqual(request.method, "GET")
        XCTAssertEqual(request.url, "https://myapp.authgear.cloud/_api/admin/users/import/userimport_00000000000000000000000000000000")
        XCTAssertEqual(request.timeout, 30)
        XCTAssertEqual(request.headers.first { $0.name == "Authorization" }?.value, "Bearer " + ImportClientTests.token)
    }

    func testForbiddenCarriesTheClockSkew() async {
        let (result, _) = await probe(.success(importAPIJSONResponse(403, "", headers: [date])))
        guard case .forbidden(let answer, .forbidden(let skew)) = result else { return XCTFail("\(result)") }
        XCTAssertEqual(answer.status, 403)
        XCTAssertEqual(skew, -3)
    }

    func testOtherAnswersAreNotAuthgear() async {
        let page = HTTPResponse(status: 200, headers: [], body: Array("<html><title>Welcome</title></html>".utf8))
        let (html, _) = await probe(.success(page))
        guard case .notAuthgear(let answer, .unexpectedResponse(200, "Welcome")) = html else { return XCTFail("\(html)") }
        XCTAssertNil(answer.serverDate)
        let (plain404, _) = await probe(.success(HTTPResponse(status: 404, headers: [], body: Array("TaskNotFound".utf8))))
        guard case .notAuthgear(_, .endpointNotFound) = plain404 else { return XCTFail("\(plain404)") }
    }

    func testNoAnswerIsUnreachable() async {
        let (result, _) = await probe(.failure(.notSent("connection refused")))
        guard case .unreachable(.notSent("connection refused")) = result else { return XCTFail("\(result)") }
    }

    func testTheRealSandboxAcceptsItsKeyAndRefusesAnotherKeyID() async throws {
        let sandbox = try await SandboxHarness.start()
        let good = await (try sandbox.client()).probe()
        let tokens = TokenProvider(minter: try sandbox.signer(keyID: "not-the-kid"))
        let bad = await (try sandbox.client(tokens: tokens)).probe()
        await sandbox.shutdown()
        if case .authenticated(let answer) = good {
            XCTAssertEqual(answer.status, 404)
            XCTAssertLessThan(abs(try XCTUnwrap(answer.serverDate).timeIntervalSinceNow), 5)
        } else {
            XCTFail("\(good)")
        }
        if case .forbidden(let refused, .forbidden) = bad { XCTAssertEqual(refused.status, 403) } else { XCTFail("\(bad)") }
    }
}
