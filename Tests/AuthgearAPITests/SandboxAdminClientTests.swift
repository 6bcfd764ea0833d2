import CurlTransport
import Foundation
import MigrationCore
import Sandbox
import TestSupport
import XCTest
@testable import AuthgearAPI

/// The export and GraphQL clients over libcurl against the real sandbox (export spec Parts A and B).
final class SandboxAdminClientTests: XCTestCase {
    private var sandbox: SandboxHarness!
    private var connection: AdminAPIConnection!
    private var ids: [String: String] = [:]

    override func setUp() async throws {
        sandbox = try await SandboxHarness.start()
        connection = AdminAPIConnection(try sandbox.client())
        let users = (0..<7).map { #"{"ref":"u\#($0)","identities":[{"type":"login_id","key":"email","value":"User\#($0)@Example.com"}]}"# }
        try await sandbox.control("POST", "/_sandbox/users", #"{"users":[\#(users.joined(separator: ","))]}"#)
        ids = try await sandbox.userIDsByEmail()
    }

    override func tearDown() async throws { await sandbox.shutdown() }

    func testLookupsByLoginIDAndIDAndTheirErrors() async throws {
        let graphQL = AdminGraphQLClient(connection: connection)
        let user = try await graphQL.userByLoginID(key: "email", value: "user3@example.com")
        XCTAssertEqual(user?.id, ids["user3@example.com"])
        XCTAssertEqual(user?.loginIDs.first?.originalValue, "User3@Example.com")
        XCTAssertEqual(user?.standardAttributes["email"], .string("user3@example.com"))
        let byID = try await graphQL.user(id: ids["user3@example.com"]!)
        XCTAssertEqual(byID, user)
        let none = try await graphQL.userByLoginID(key: "email", value: "nobody@example.com")
        XCTAssertNil(none)
        let unknown = try await graphQL.user(id: "00000000-0000-0000-0000-000000000000")
        XCTAssertNil(unknown)
        let list = try await graphQL.usersByStandardAttribute(name: "email", value: "user4@example.com")
        XCTAssertEqual(list.map(\.id), [ids["user4@example.com"]!])
        do {
            _ = try await graphQL.userByLoginID(key: "nokey", value: "x")
            XCTFail("an unknown login-ID key is an error")
        } catch {
            XCTAssertEqual(error.reason, "GetUsersInvalidArgument")
        }
    }

    func testTheSixthMutationIsRefusedAndAFailingRequestKeepsNothing() async throws {
        let graphQL = AdminGraphQLClient(connection: connection)
        let six = (0..<6).map { ids["user\($0)@example.com"]! }
        let params = six.indices.map { "$u\($0):ID!" }.joined(separator: ",")
        let fields = six.indices.map { "d\($0):deleteUser(input:{userID:$u\($0)}){deletedUserID}" }.joined(separator: " ")
        do {
            _ = try await graphQL.execute(query: "mutation(\(params)){\(fields)}",
                                          variables: six.enumerated().map { JSONMember("u\($0.offset)", .string(AdminGraphQLClient.nodeID(userID: $0.element))) })
            XCTFail("six mutations in one request")
        } catch {
            XCTAssertEqual(error, .tooManyMutations(count: 6, limit: 5))
        }
        do {
            _ = try await graphQL.deleteUsers([six[0], "00000000-0000-0000-0000-000000000000"])
            XCTFail("an unknown user fails the request")
        } catch {
            XCTAssertEqual(error.reason, "UserNotFound")
        }
        var left = try await sandbox.users().count
        XCTAssertEqual(left, 7, "the request was rolled back: the first deletion was not kept")
        let deleted = try await graphQL.deleteUsers(Array(six.prefix(5)))
        XCTAssertEqual(deleted, Array(six.prefix(5)))
        left = try await sandbox.users().count
        XCTAssertEqual(left, 2)
    }

    func testAnExportIsDownloadedLineByLineAndAnExpiredURLIsRefused() async throws {
        let export = UserExportClient(connection: connection)
        let task = try await export.create()
        XCTAssertTrue(task.id.hasPrefix("userexport_"))
        let url = try await export.waitForDownloadURL(id: task.id, maxInterval: 0.1)
        let users = UsersCollected()
        let (lines, _) = try await export.download(url: url) { bytes in
            if let json = try? JSONParser.parse(bytes), let u = ProjectUser(exportRecord: json) { users.add(u) }
            return true
        }
        XCTAssertEqual(lines, 7)
        XCTAssertEqual(Set(users.all.map(\.id)), Set(ids.values))
        XCTAssertEqual(Set(users.all.flatMap { $0.loginIDValues(type: "email") }), Set(ids.keys))
        try await sandbox.advanceClock(61)
        do {
            _ = try await export.download(url: url) { _ in true }
            XCTFail("the URL expired after 60 s")
        } catch {
            guard case .downloadRefused = error else { return XCTFail("\(error)") }
        }
        let fresh = try await export.waitForDownloadURL(id: task.id)
        XCTAssertNotEqual(fresh, url, "every GET mints a new URL")
        let again = try await export.download(url: fresh) { _ in true }
        XCTAssertEqual(again.lines, 7)
    }
}
