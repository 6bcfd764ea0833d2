import Foundation
import MigrationCore
import XCTest
@testable import Sandbox

/// The Admin API GraphQL subset over loopback (export spec Part B).
final class ServerGraphQLTests: XCTestCase {
    var sandbox: TestSandbox!

    override func setUp() async throws { sandbox = try await TestSandbox.start() }
    override func tearDown() async throws { await sandbox.stop() }

    static let userFields = "id createdAt isDisabled standardAttributes customAttributes loginIDs { type claims } "
        + "roles { edges { node { key } } } groups { totalCount edges { node { key } } } secondaryTOTPAuthenticators { type kind claims } "
        + "primaryPassword { type claims }"

    func seedAlice() async throws -> String {
        let body = #"{"users":[{"ref":"A","identities":[{"type":"login_id","key":"email","value":"Alice@Example.com"}],"#
            + #""verified_claims":[{"name":"email","value":"alice@example.com"}],"custom_attributes":{"age":30},"roles":["role_a"],"groups":["group_b"],"#
            + #""authenticators":[{"kind":"primary","type":"password"},{"kind":"secondary","type":"totp","secret":"JBSWY3DPEHPK3PXP"}]}]}"#
        return try required(await sandbox.control("POST", "/_sandbox/users", body)?["users"]?["A"]?.stringValue)
    }

    func nodeID(_ uuid: String) -> String { GraphQLNodeID.encode("User", uuid) }

    func testGetUserByLoginIDNormalisesAndAnswersNullWhenAbsent() async throws {
        let id = try await seedAlice()
        let r = await sandbox.graphQL(#"query($v: String!) { u: getUserByLoginID(loginIDKey: "email", loginIDValue: $v) { \#(Self.userFields) } none: getUserByLoginID(loginIDKey: "email", loginIDValue: "bob@example.com") { id } }"#,
                                      variables: #"{"v":"ALICE@example.COM"}"#)
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.header("content-type"), "application/json; charset=utf-8")
        let user = try XCTUnwrap(r.json?["data"]?["u"], r.text)
        XCTAssertEqual(user["id"]?.stringValue, nodeID(id))
        XCTAssertEqual(user["isDisabled"], .bool(false))
        let attributes = HTTPReply.writer.string(user["standardAttributes"]!)
        XCTAssertTrue(attributes.hasPrefix(#"{"email":"alice@example.com","email_verified":true,"updated_at":"#), attributes)
        XCTAssertEqual(HTTPReply.writer.string(user["customAttributes"]!), #"{"age":30}"#)
        XCTAssertEqual(HTTPReply.writer.string(user["loginIDs"]!),
                       #"[{"type":"LOGIN_ID","claims":{"email":"alice@example.com","https://authgear.com/claims/login_id/key":"email","https://authgear.com/claims/login_id/original_value":"Alice@Example.com","https://authgear.com/claims/login_id/type":"email","https://authgear.com/claims/login_id/value":"alice@example.com"}}]"#)
        XCTAssertEqual(HTTPReply.writer.string(user["roles"]!), #"{"edges":[{"node":{"key":"role_a"}}]}"#)
        XCTAssertEqual(HTTPReply.writer.string(user["groups"]!), #"{"totalCount":1,"edges":[{"node":{"key":"group_b"}}]}"#)
        XCTAssertEqual(HTTPReply.writer.string(user["secondaryTOTPAuthenticators"]!),
                       #"[{"type":"TOTP","kind":"SECONDARY","claims":{"https://authgear.com/claims/totp/display_name":"Imported"}}]"#)
        XCTAssertFalse(r.text.contains("JBSWY3DP"), "no TOTP secret over GraphQL")
        XCTAssertFalse(r.text.contains("$2a$"))
        XCTAssertEqual(r.json?["data"]?["none"], .null)
        XCTAssertNil(r.json?["errors"])
    }

    func testLookupByAKeyNamedOtherThanItsType() async throws {
        await sandbox.control("PUT", "/_sandbox/project", #"{"login_id_keys":[{"key":"work_email","type":"email"}]}"#)
        let seeded = await sandbox.control("POST", "/_sandbox/users", #"{"users":[{"ref":"W","identities":[{"type":"login_id","key":"work_email","value":"Wendy@Example.com"}]}]}"#)
        let id = try required(seeded?["users"]?["W"]?.stringValue, "\(String(describing: seeded))")
        let r = await sandbox.graphQL(#"{ u: getUserByLoginID(loginIDKey: "work_email", loginIDValue: "wendy@EXAMPLE.com") { id } e: getUserByLoginID(loginIDKey: "email", loginIDValue: "wendy@example.com") { id } n: nodes(ids: ["\#(nodeID(id))", "bad"]) { id } }"#)
        XCTAssertEqual(r.json?["data"]?["u"]?["id"]?.stringValue, nodeID(id), r.text)
        XCTAssertEqual(r.json?["data"]?["n"], .array([.obj(["id": .string(nodeID(id))]), .null]))
        XCTAssertEqual(r.json?["errors"]?.arrayValue?.first?["message"]?.stringValue, "invalid Login ID key", "the project has no key named email")
        let line = try await sandbox.export()
        XCTAssertTrue(line.contains(#""login_id":{"key":"work_email","type":"email","value":"wendy@example.com","original_value":"Wendy@Example.com"}"#), line)
    }

    func testLookupErrorsHaveExtensions() async throws {
        let r = await sandbox.graphQL(#"{ getUserByLoginID(loginIDKey: "nokey", loginIDValue: "x") { id } }"#)
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.text, #"{"data":{"getUserByLoginID":null},"errors":[{"message":"invalid Login ID key","locations":[{"line":1,"column":3}],"path":["getUserByLoginID"],"extensions":{"errorName":"Invalid","reason":"GetUsersInvalidArgument"}}]}"# + "\n")
        let list = await sandbox.graphQL(#"{ getUsersByStandardAttribute(attributeName: "name", attributeValue: "x") { id } }"#)
        XCTAssertEqual(list.json?["data"], .null, "a non-null list nulls data")
        XCTAssertEqual(list.json?["errors"]?.arrayValue?.first?["message"]?.stringValue, "attributeName must be email, phone_number or preferred_username")
    }

    func testGetUsersByStandardAttributeAndNode() async throws {
        let id = try await seedAlice()
        let r = await sandbox.graphQL(#"{ a: getUsersByStandardAttribute(attributeName: "email", attributeValue: "alice@EXAMPLE.com") { id } b: getUsersByStandardAttribute(attributeName: "email", attributeValue: "zed@example.com") { id } n: node(id: "\#(nodeID(id))") { __typename ... on User { id } } bad: node(id: "\#(nodeID(id))=") { id } }"#)
        XCTAssertEqual(r.text, #"{"data":{"a":[{"id":"\#(nodeID(id))"}],"b":[],"n":{"__typename":"User","id":"\#(nodeID(id))"},"bad":null}}"# + "\n")
    }

    func testValidationAndSyntaxErrors() async throws {
        let unknown = await sandbox.graphQL(#"{ node(id: "x") { id nope } }"#)
        XCTAssertEqual(unknown.status, 200)
        XCTAssertEqual(unknown.json?["data"], .null)
        XCTAssertEqual(unknown.json?["errors"]?.arrayValue?.first?["message"]?.stringValue, #"Cannot query field "nope" on type "Node"."#)
        XCTAssertNil(unknown.json?["errors"]?.arrayValue?.first?["extensions"], "graphql-go's own errors have no extensions")
        let missing = await sandbox.graphQL(#"{ node { id } }"#)
        XCTAssertEqual(missing.json?["errors"]?.arrayValue?.first?["message"]?.stringValue,
                       #"Field "node" argument "id" of type "ID!" is required but not provided."#)
        let variable = await sandbox.graphQL(#"query($id: ID!) { node(id: $id) { id } }"#)
        XCTAssertEqual(variable.json?["errors"]?.arrayValue?.first?["message"]?.stringValue, #"Variable "$id" of required type "ID!" was not provided."#)
        let syntax = await sandbox.graphQL("{ node(id: ")
        XCTAssertEqual(syntax.status, 500)
        XCTAssertEqual(syntax.json?["error"]?["reason"]?.stringValue, "UnexpectedError")
        let empty = await sandbox.graphQL("")
        XCTAssertEqual(empty.status, 500)
        let directive = await sandbox.graphQL(#"{ node(id: "x") @include(if: true) { id } }"#)
        XCTAssertEqual(directive.status, 200)
        XCTAssertTrue(directive.json?["errors"]?.arrayValue?.first?["message"]?.stringValue?.contains("not part of the sandbox's GraphQL subset") ?? false, directive.text)
    }

    func testDeleteUserFreesTheLoginID() async throws {
        let id = try await seedAlice()
        let r = await sandbox.graphQL(#"mutation($a: ID!) { d0: deleteUser(input: {userID: $a}) { deletedUserID } }"#, variables: #"{"a":"\#(nodeID(id))"}"#)
        XCTAssertEqual(r.text, #"{"data":{"d0":{"deletedUserID":"\#(nodeID(id))"}}}"# + "\n")
        let gone = await sandbox.graphQL(#"{ getUserByLoginID(loginIDKey: "email", loginIDValue: "alice@example.com") { id } }"#)
        XCTAssertEqual(gone.json?["data"]?["getUserByLoginID"], .null)
        let imported = await sandbox.post(#"{"identifier":"email","records":[{"email":"alice@example.com"}]}"#)
        let job = try XCTUnwrap(imported.json?["result"]?["id"]?.stringValue)
        let result = await sandbox.waitCompleted(job)
        XCTAssertEqual(result?["details"]?.arrayValue?.first?["outcome"]?.stringValue, "inserted", "the login ID is free again")
    }

    func testDeleteErrorsRollTheWholeRequestBack() async throws {
        let ids = try await sandbox.seedEmails(2)
        let unknown = nodeID("00000000-0000-0000-0000-000000000000")
        let query = #"mutation { a: deleteUser(input: {userID: "\#(nodeID(ids[0]))"}) { deletedUserID } b: deleteUser(input: {userID: "\#(unknown)"}) { deletedUserID } c: deleteUser(input: {userID: "notanid"}) { deletedUserID } }"#
        let column = query.distance(from: query.startIndex, to: query.range(of: " b: ")!.lowerBound) + 2
        let r = await sandbox.graphQL(query)
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.json?["data"], .null)
        let errors = try XCTUnwrap(r.json?["errors"]?.arrayValue)
        XCTAssertEqual(errors.count, 1, "execution stops at the first failed non-null mutation: c never ran")
        XCTAssertEqual(HTTPReply.writer.string(errors[0]), #"{"message":"user not found","locations":[{"line":1,"column":\#(column)}],"path":["b"],"extensions":{"errorName":"NotFound","reason":"UserNotFound"}}"#)
        let invalid = await sandbox.graphQL(#"mutation { c: deleteUser(input: {userID: "notanid"}) { deletedUserID } }"#)
        XCTAssertEqual(invalid.json?["errors"]?.arrayValue?.first?["extensions"]?["reason"]?.stringValue, "Invalid")
        XCTAssertEqual(invalid.json?["errors"]?.arrayValue?.first?["message"]?.stringValue, "invalid user ID")
        let users = await sandbox.control("GET", "/_sandbox/users")
        XCTAssertEqual(users?["total"]?.int, 2, "the successful deletion a was rolled back")
        // Deleting the same user twice in one request fails the second and keeps the user.
        let twice = await sandbox.graphQL(#"mutation { a: deleteUser(input: {userID: "\#(nodeID(ids[1]))"}) { deletedUserID } b: deleteUser(input: {userID: "\#(nodeID(ids[1]))"}) { deletedUserID } }"#)
        XCTAssertEqual(twice.json?["errors"]?.arrayValue?.first?["path"], .array([.string("b")]))
        let after = await sandbox.control("GET", "/_sandbox/users")
        XCTAssertEqual(after?["total"]?.int, 2)
    }

    func testSixthMutationFieldIsRefusedBeforeExecution() async throws {
        let ids = try await sandbox.seedEmails(6)
        func mutation(_ n: Int) -> String {
            "mutation { " + (0..<n).map { #"d\#($0): deleteUser(input: {userID: "\#(nodeID(ids[$0]))"}) { deletedUserID }"# }.joined(separator: " ") + " }"
        }
        let six = await sandbox.graphQL(mutation(6))
        XCTAssertEqual(six.status, 400)
        XCTAssertEqual(six.text, #"{"error":{"name":"BadRequest","reason":"BadRequest","message":"too many mutation fields in one request: got 6, limit is 5","code":400}}"# + "\n")
        let fragment = await sandbox.graphQL(mutation(4) .replacingOccurrences(of: " }\u{20}}", with: " } ... on Mutation { x: deleteUser(input: {userID: \"a\"}) { deletedUserID } y: deleteUser(input: {userID: \"b\"}) { deletedUserID } } }"))
        XCTAssertEqual(fragment.status, 400, "fields inside inline fragments count: \(fragment.text)")
        let kept = await sandbox.control("GET", "/_sandbox/users")
        XCTAssertEqual(kept?["total"]?.int, 6)
        let five = await sandbox.graphQL(mutation(5))
        XCTAssertEqual(five.status, 200)
        XCTAssertNil(five.json?["errors"], five.text)
        let left = await sandbox.control("GET", "/_sandbox/users")
        XCTAssertEqual(left?["total"]?.int, 1)
    }

    func testTransportChecks() async throws {
        let forbidden = await RawHTTP.send(port: sandbox.port, method: "POST", path: "/_api/admin/graphql",
                                           headers: [("Content-Type", "application/json")], body: Array(#"{"query":"{ node(id: \"x\") { id } }"}"#.utf8))!
        XCTAssertEqual(forbidden.status, 403)
        let raw = await RawHTTP.send(port: sandbox.port, method: "POST", path: "/graphql",
                                     headers: [("Authorization", await sandbox.bearer()), ("Content-Type", "application/graphql")],
                                     body: Array(#"{ node(id: "x") { id } }"#.utf8))!
        XCTAssertEqual(raw.text, #"{"data":{"node":null}}"# + "\n", "application/graphql: the body is the query; /graphql is an alias")
        let media = await RawHTTP.send(port: sandbox.port, method: "POST", path: "/_api/admin/graphql",
                                       headers: [("Authorization", await sandbox.bearer()), ("Content-Type", "text/plain")], body: Array("{}".utf8))!
        XCTAssertEqual(media.status, 415)
        let stringVariables = await sandbox.graphQL(#"query($id: ID!) { node(id: $id) { id } }"#, variables: #""{\"id\":\"x\"}""#)
        XCTAssertEqual(stringVariables.text, #"{"data":{"node":null}}"# + "\n", "variables may be a JSON-encoded string")
    }
}
