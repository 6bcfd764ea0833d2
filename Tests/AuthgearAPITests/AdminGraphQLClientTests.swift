import Foundation
import MigrationCore
import XCTest
@testable import AuthgearAPI

final class AdminGraphQLClientTests: XCTestCase {
    private func client(_ transport: ScriptedImportTransport) -> AdminGraphQLClient {
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        return AdminGraphQLClient(connection: AdminAPIConnection(
            endpoint: "https://myapp.authgear.cloud", tokens: TokenProvider(minter: FixedTokenMinter(value: ImportClientTests.token), clock: { now }),
            transport: transport, userAgent: "t", clock: { now }))
    }

    func testNodeIDsAreUnpaddedBase64URLOfUserColonUUID() {
        XCTAssertEqual(AdminGraphQLClient.nodeID(userID: "6c1c0d3e-9a43-4c8a-9f9f-0d8d0c1f2a3b"),
                       "VXNlcjo2YzFjMGQzZS05YTQzLTRjOGEtOWY5Zi0wZDhkMGMxZjJhM2I")
        XCTAssertEqual(AdminGraphQLClient.userID(nodeID: "VXNlcjo2YzFjMGQzZS05YTQzLTRjOGEtOWY5Zi0wZDhkMGMxZjJhM2I"),
                       "6c1c0d3e-9a43-4c8a-9f9f-0d8d0c1f2a3b")
        XCTAssertNil(AdminGraphQLClient.userID(nodeID: "VXNlcjox=="), "padding is refused as the server refuses it")
    }

    func testUserByLoginIDReadsTheUserAndNullIsNoUser() async throws {
        let node = AdminGraphQLClient.nodeID(userID: "u-1")
        let transport = ScriptedImportTransport([
            .success(importAPIJSONResponse(200, #"{"data":{"u":{"id":"\#(node)","isDisabled":false,"standardAttributes":{"email":"ada@example.com","email_verified":true,"name":"Ada","updated_at":1700000000},"customAttributes":{"tier":"gold"},"loginIDs":[{"claims":{"email":"ada@example.com","https://authgear.com/claims/login_id/key":"email","https://authgear.com/claims/login_id/type":"email","https://authgear.com/claims/login_id/value":"ada@example.com","https://authgear.com/claims/login_id/original_value":"Ada@Example.com"}}],"roles":{"edges":[{"node":{"key":"role_a"}}]},"groups":{"edges":[]}}}}"#)),
            .success(importAPIJSONResponse(200, #"{"data":{"u":null}}"#)),
        ])
        let c = client(transport)
        let user = try await c.userByLoginID(key: "email", value: "ada@example.com")
        XCTAssertEqual(user, ProjectUser(id: "u-1", standardAttributes: ["email": .string("ada@example.com"), "email_verified": .bool(true), "name": .string("Ada")],
                                         customAttributes: ["tier": .string("gold")], roles: ["role_a"], groups: [], disabled: false,
                                         loginIDs: [.init(key: "email", type: "email", value: "ada@example.com", originalValue: "Ada@Example.com")]))
        let none = try await c.userByLoginID(key: "email", value: "nobody@example.com")
        XCTAssertNil(none)
        let request = transport.requests[0]
        XCTAssertEqual(request.url, "https://myapp.authgear.cloud/_api/admin/graphql")
        let body = try JSONParser.parse(request.body!)
        XCTAssertEqual(body["variables"], .obj(["k": .string("email"), "v": .string("ada@example.com")]))
        XCTAssertTrue(body["query"]!.stringValue!.contains("getUserByLoginID(loginIDKey:$k,loginIDValue:$v)"))
    }

    func testDeleteUsersSendsOneAliasPerUserAndRefusesASixth() async throws {
        let ids = ["a", "b"]
        let transport = ScriptedImportTransport([
            .success(importAPIJSONResponse(200, #"{"data":{"d0":{"deletedUserID":"\#(AdminGraphQLClient.nodeID(userID: "a"))"},"d1":{"deletedUserID":"\#(AdminGraphQLClient.nodeID(userID: "b"))"}}}"#)),
            .success(importAPIJSONResponse(400, #"{"error":{"name":"BadRequest","reason":"BadRequest","message":"too many mutation fields in one request: got 6, limit is 5","code":400}}"#)),
        ])
        let c = client(transport)
        let deleted = try await c.deleteUsers(ids)
        XCTAssertEqual(deleted, ids)
        let query = try JSONParser.parse(transport.requests[0].body!)["query"]!.stringValue!
        XCTAssertEqual(query, "mutation($u0:ID!,$u1:ID!){d0:deleteUser(input:{userID:$u0}){deletedUserID} d1:deleteUser(input:{userID:$u1}){deletedUserID}}")
        do {
            _ = try await c.deleteUsers(["1", "2", "3", "4", "5", "6"])
            XCTFail("six deletions in one request")
        } catch {
            XCTAssertEqual(error, .tooManyMutations(count: 6, limit: 5))
        }
        XCTAssertEqual(transport.requests.count, 1, "the sixth mutation is refused before sending")
        // The server's 400 before execution is the same typed error.
        do {
            _ = try await c.execute(query: "mutation{…}", variables: [])
            XCTFail("400")
        } catch {
            XCTAssertEqual(error, .tooManyMutations(count: 6, limit: 5))
        }
    }

    func testExecutionErrorsAreTypedWithTheirReason() async throws {
        let transport = ScriptedImportTransport([
            .success(importAPIJSONResponse(200, #"{"data":null,"errors":[{"message":"user not found","locations":[{"line":1,"column":10}],"path":["d0"],"extensions":{"errorName":"NotFound","reason":"UserNotFound"}}]}"#)),
            .success(importAPIJSONResponse(500, #"{"error":{"name":"InternalError","reason":"UnexpectedError","message":"unexpected error occurred","code":500}}"#)),
        ])
        let c = client(transport)
        do {
            _ = try await c.deleteUsers(["gone"])
            XCTFail("errors")
        } catch {
            XCTAssertEqual(error, .execution([GraphQLErrorItem(message: "user not found", path: ["d0"], errorName: "NotFound", reason: "UserNotFound")]))
            XCTAssertEqual(error.reason, "UserNotFound")
        }
        do {
            _ = try await c.user(id: "x")
            XCTFail("500")
        } catch {
            guard case .api(.server(500, _, _, _)) = error else { return XCTFail("\(error)") }
        }
    }
}
