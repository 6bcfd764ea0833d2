import Foundation
import XCTest
@testable import AuthgearAPI

final class ConnectionSettingsTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "connection-settings-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/authgear-migrate", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func writeProfiles(_ text: String) throws {
        try text.write(toFile: directory + "/authgear-migrate/profiles.json", atomically: true, encoding: .utf8)
    }

    private var profilesText: String {
        #"""
        {"profiles": {
          "default": {"endpoint": "https://default.authgear.cloud", "project_id": "default-app",
                      "key_id": "kid-default", "key_file": "keys/default.pem"},
          "staging": {"endpoint": "https://staging.authgear.cloud/", "project_id": "staging-app",
                      "key_id": "kid-staging", "key_file": "~/staging.pem", "ca_file": "/etc/ca.pem"}}}
        """#
    }

    func testFlagsBeatEnvironmentBeatProfile() throws {
        try writeProfiles(profilesText)
        let env = ["XDG_CONFIG_HOME": directory, "HOME": "/home/u",
                   "AUTHGEAR_PROJECT_ID": "env-app", "AUTHGEAR_KEY_ID": "kid-env"]
        let s = try ConnectionSettings.resolve(flags: .init(keyID: "kid-flag"), environment: env)
        let path = directory + "/authgear-migrate/profiles.json"
        XCTAssertEqual(s.keyID, .init("kid-flag", from: .flag("--key-id")))
        XCTAssertEqual(s.projectID, .init("env-app", from: .environment("AUTHGEAR_PROJECT_ID")))
        XCTAssertEqual(s.endpoint, .init("https://default.authgear.cloud", from: .profile(name: "default", path: path)))
        XCTAssertEqual(s.keyFile.value, directory + "/authgear-migrate/keys/default.pem")
        XCTAssertNil(s.caFile)
        XCTAssertEqual(s.report[1], "project id: env-app (from $AUTHGEAR_PROJECT_ID)")
        XCTAssertEqual(s.report[2], "key id: kid-flag (from --key-id)")
        XCTAssertTrue(s.report[0].contains("from profile \"default\" in \(path)"))
    }

    func testNamedProfileByFlagOrEnvironment() throws {
        try writeProfiles(profilesText)
        let env = ["XDG_CONFIG_HOME": directory, "HOME": "/home/u"]
        let s = try ConnectionSettings.resolve(flags: .init(profile: "staging"), environment: env)
        XCTAssertEqual(s.profileName, "staging")
        XCTAssertEqual(s.endpoint.value, "https://staging.authgear.cloud")
        XCTAssertEqual(s.keyFile.value, "/home/u/staging.pem")
        XCTAssertEqual(s.caFile?.value, "/etc/ca.pem")
        var viaEnv = env
        viaEnv["AUTHGEAR_PROFILE"] = "staging"
        XCTAssertEqual(try ConnectionSettings.resolve(flags: .init(), environment: viaEnv).projectID.value, "staging-app")
        XCTAssertThrowsError(try ConnectionSettings.resolve(flags: .init(profile: "prod"), environment: env)) { error in
            XCTAssertEqual(error as? ConnectionSettingsError,
                           .profileNotFound(name: "prod", path: directory + "/authgear-migrate/profiles.json", available: ["default", "staging"]))
        }
    }

    func testSandboxEnvironmentAloneIsEnough() throws {
        // What `set -a; . ./sandbox.env` puts into the environment; no profiles file exists.
        let env = ["XDG_CONFIG_HOME": directory, "AUTHGEAR_ENDPOINT": "http://127.0.0.1:4000",
                   "AUTHGEAR_PROJECT_ID": "myapp", "AUTHGEAR_KEY_ID": "test-kid",
                   "AUTHGEAR_KEY_FILE": "/tmp/sandbox/key.pem", "AUTHGEAR_CA_FILE": ""]
        let s = try ConnectionSettings.resolve(flags: .init(), environment: env)
        XCTAssertEqual(s.endpoint, .init("http://127.0.0.1:4000", from: .environment("AUTHGEAR_ENDPOINT")))
        XCTAssertEqual(s.keyFile.value, "/tmp/sandbox/key.pem")
        XCTAssertNil(s.caFile, "an empty variable counts as unset")
    }

    func testMissingValuesNameFlagAndEnvironmentVariable() {
        XCTAssertThrowsError(try ConnectionSettings.resolve(flags: .init(endpoint: "https://a.authgear.cloud"),
                                                            environment: ["XDG_CONFIG_HOME": directory])) { error in
            guard case .missing(let fields, _)? = error as? ConnectionSettingsError else { return XCTFail("\(error)") }
            XCTAssertEqual(fields, [.projectID, .keyID, .keyFile])
            let text = "\(error)"
            for needle in ["--project-id", "AUTHGEAR_PROJECT_ID", "--key-id", "AUTHGEAR_KEY_ID", "--key-file", "AUTHGEAR_KEY_FILE", "profiles.json"] {
                XCTAssertTrue(text.contains(needle), needle)
            }
        }
        XCTAssertThrowsError(try ConnectionSettings.resolve(flags: .init(profile: "x"), environment: ["XDG_CONFIG_HOME": directory])) { error in
            guard case .profileFileMissing("x", _)? = error as? ConnectionSettingsError else { return XCTFail("\(error)") }
        }
    }

    func testEndpointValidationAndInvalidProfileFile() throws {
        let base = ["AUTHGEAR_PROJECT_ID": "p", "AUTHGEAR_KEY_ID": "k", "AUTHGEAR_KEY_FILE": "/k.pem", "XDG_CONFIG_HOME": directory]
        for bad in ["myapp.authgear.cloud", "https://", "https://myapp.authgear.cloud/_api/admin/graphql"] {
            XCTAssertThrowsError(try ConnectionSettings.resolve(flags: .init(endpoint: bad), environment: base)) { error in
                guard case .invalidEndpoint? = error as? ConnectionSettingsError else { return XCTFail("\(error)") }
                XCTAssertTrue("\(error)".contains("--endpoint"), "\(error)")
            }
        }
        XCTAssertEqual(try ConnectionSettings.resolve(flags: .init(endpoint: "https://myapp.authgear.cloud//"), environment: base).endpoint.value,
                       "https://myapp.authgear.cloud")
        for bad in ["https://myapp.authgear.cloud", "myapp.authgear.cloud"] {
            var env = base
            env["AUTHGEAR_PROJECT_ID"] = bad
            XCTAssertThrowsError(try ConnectionSettings.resolve(flags: .init(endpoint: "https://myapp.authgear.cloud"), environment: env)) { error in
                guard case .invalidProjectID? = error as? ConnectionSettingsError else { return XCTFail("\(error)") }
                XCTAssertTrue("\(error)".contains("`myapp`"))
            }
        }
        var tilde = base
        tilde["HOME"] = "/home/u"
        tilde["AUTHGEAR_KEY_FILE"] = "~/keys/k.pem"
        XCTAssertEqual(try ConnectionSettings.resolve(flags: .init(endpoint: "https://a.b"), environment: tilde).keyFile.value,
                       "/home/u/keys/k.pem")
        try writeProfiles(#"{"profiles": {"default": {"endpoint": "https://x", "password": "nope"}}}"#)
        XCTAssertThrowsError(try ConnectionSettings.resolve(flags: .init(), environment: base)) { error in
            guard case .profileFileInvalid(_, let reason)? = error as? ConnectionSettingsError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("unknown key \"password\""), reason)
        }
        try writeProfiles("{not json")
        XCTAssertThrowsError(try ConnectionSettings.resolve(flags: .init(), environment: base))
    }

    func testDefaultProfilesPath() {
        XCTAssertEqual(ProfileFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]), "/x/authgear-migrate/profiles.json")
        XCTAssertEqual(ProfileFile.defaultPath(environment: ["HOME": "/h"]), "/h/.config/authgear-migrate/profiles.json")
        XCTAssertNil(ProfileFile.defaultPath(environment: [:]))
    }
}
