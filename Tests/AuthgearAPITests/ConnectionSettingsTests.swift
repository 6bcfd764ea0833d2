import Foundation
import TestSupport
import XCTest
@testable import AuthgearAPI
import ConnectionSetup

final class ConnectionSettingsTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = makeTempDirectory(prefix: "connection-settings").path   // removed after the test
        try FileManager.default.createDirectory(atPath: directory + "/authgear-migrate", withIntermediateDirectories: true)
    }

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

    // MARK: - Plain http:// (the token and password hashes would travel in clear)

    private var connectionBase: [String: String] {
        ["AUTHGEAR_PROJECT_ID": "p", "AUTHGEAR_KEY_ID": "k", "AUTHGEAR_KEY_FILE": "/k.pem", "XDG_CONFIG_HOME": directory]
    }

    private func resolve(_ endpoint: String, _ extra: [String: String] = [:]) throws -> ConnectionSettings {
        try ConnectionSettings.resolve(flags: .init(endpoint: endpoint), environment: connectionBase.merging(extra) { $1 })
    }

    func testPlainHTTPToAnotherHostIsRefusedSayingWhyAndHow() {
        let refused = ["http://example.com", "HTTP://example.com", "Http://myapp.authgear.cloud:80",
                       "http://127.0.0.1.evil.com", "http://localhost.evil.com", "http://evil-localhost",
                       "http://128.0.0.1:4000", "http://10.0.0.7", "http://[::2]:4000", "http://[2001:db8::1]",
                       "http://127.1", "http://0x7f.0.0.1", "http://2130706433", "http://%31%32%37.0.0.1",
                       "http://127.0.0.1@evil.com", "http://localhost:80@evil.com", "http://[::1]@evil.com",
                       "http://0.0.0.0:4000", "http://[::]:4000", "http://127.0.0.1:4000x"]
        for endpoint in refused {
            XCTAssertThrowsError(try resolve(endpoint), endpoint) { error in
                let text = "\(error)"
                for needle in ["https://", "--ca-file", "--allow-insecure-http", "from --endpoint"] {
                    XCTAssertTrue(text.contains(needle), "\(endpoint): \(needle) missing in \(text)")
                }
            }
        }
        for other in ["ftp://example.com", "file:///etc/passwd", "socks5://127.0.0.1:1080", "example.com:80"] {
            XCTAssertThrowsError(try resolve(other), other)
        }
    }

    func testPlainHTTPToThisMachineIsAllowed() throws {
        for endpoint in ["http://127.0.0.1:4000", "http://127.8.9.10:4000", "http://127.255.255.254", "http://localhost:4000",
                         "http://LOCALHOST", "HTTP://127.0.0.1:4000", "http://[::1]:4000", "http://[::1]",
                         "http://[::ffff:127.0.0.1]:4000", "https://example.com", "HTTPS://example.com:8443"] {
            XCTAssertNoThrow(try resolve(endpoint), endpoint)
        }
    }

    func testInsecureHTTPOverrideFromTheEnvironment() throws {
        XCTAssertNoThrow(try resolve("http://example.com", ["AUTHGEAR_ALLOW_INSECURE_HTTP": "1"]))
        XCTAssertThrowsError(try resolve("http://example.com", ["AUTHGEAR_ALLOW_INSECURE_HTTP": "0"]))
        XCTAssertThrowsError(try resolve("http://example.com", ["AUTHGEAR_ALLOW_INSECURE_HTTP": ""]))
    }

    func testInsecureHTTPOverrideCarriesAWarningEveryRunShows() throws {
        let byFlag = try ConnectionSettings.resolve(flags: .init(endpoint: "http://10.0.0.7:8080", allowInsecureHTTP: true),
                                                    environment: connectionBase)
        let warning = try XCTUnwrap(byFlag.insecureHTTPWarning)
        XCTAssertTrue(warning.contains("--allow-insecure-http") && warning.contains("10.0.0.7") && warning.contains("unencrypted"), warning)
        XCTAssertEqual(byFlag.report.last, "warning: " + warning, "check's settings step (and the TUI's) shows it")
        let byEnvironment = try resolve("http://example.com", ["AUTHGEAR_ALLOW_INSECURE_HTTP": "true"])
        XCTAssertTrue(byEnvironment.insecureHTTPWarning?.contains("$AUTHGEAR_ALLOW_INSECURE_HTTP") == true)
        let viaProxy = try resolve("http://127.0.0.1:4000", ["http_proxy": "http://u:pw@proxy.corp:3128", "AUTHGEAR_ALLOW_INSECURE_HTTP": "1"])
        XCTAssertTrue(viaProxy.insecureHTTPWarning?.contains("http://***@proxy.corp:3128 (from http_proxy)") == true)
        for quiet in ["http://127.0.0.1:4000", "https://example.com"] {
            XCTAssertNil(try resolve(quiet, ["AUTHGEAR_ALLOW_INSECURE_HTTP": "1"]).insecureHTTPWarning, "nothing to warn about: \(quiet)")
        }
    }

    func testLoopbackAndNoProxyRules() {
        XCTAssertTrue(NetworkPath.bypasses("example.com", host: "api.example.com"))
        XCTAssertTrue(NetworkPath.bypasses(" .example.com ", host: "example.com"))
        XCTAssertFalse(NetworkPath.bypasses("example.com", host: "badexample.com"))
        XCTAssertTrue(NetworkPath.bypasses("10.0.0.0/8 localhost", host: "10.2.3.4"))
        XCTAssertFalse(NetworkPath.bypasses("10.0.0.0/8", host: "11.2.3.4"))
        XCTAssertTrue(NetworkPath.bypasses("[::1]", host: "[::1]"))
        XCTAssertEqual(NetworkPath.masked("socks5h://a:b@h:1/x"), "socks5h://***@h:1/x")
        XCTAssertEqual(NetworkPath.masked("h:1"), "h:1")
        XCTAssertEqual(NetworkPath.proxyHost("http://a:b@[fd00::1]:3128/"), "[fd00::1]")
        XCTAssertEqual(NetworkPath.proxyHost("proxy.corp:3128"), "proxy.corp")
        // An empty variable counts as unset, as for libcurl (curl_getenv): on to all_proxy; an empty no_proxy bypasses nothing.
        XCTAssertEqual(NetworkPath.proxy(scheme: "https", host: "a.b", lookup: { ["https_proxy": "", "all_proxy": "http://p:1"][$0] })?.variable,
                       "all_proxy")
        XCTAssertEqual(NetworkPath.proxy(scheme: "https", host: "a.b", lookup: { ["no_proxy": "", "NO_PROXY": "*", "https_proxy": "http://p:1"][$0] }),
                       nil)
        XCTAssertEqual(NetworkPath.proxy(scheme: "https", host: "a.b", lookup: { ["HTTPS_PROXY": "http://p:1"][$0] })?.variable, "HTTPS_PROXY")
        XCTAssertNil(NetworkPath.proxy(scheme: "http", host: "a.b", lookup: { ["HTTP_PROXY": "http://p:1"][$0] }))
    }

    /// A loopback http:// endpoint whose requests libcurl would hand to a proxy elsewhere
    /// still travels in clear (to the proxy); an https:// endpoint through a proxy is a CONNECT tunnel.
    func testPlainHTTPThroughAProxyElsewhereIsRefused() throws {
        XCTAssertThrowsError(try resolve("http://127.0.0.1:4000", ["http_proxy": "http://proxy.corp:3128"])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("http://proxy.corp:3128 (from http_proxy)"), text)
            XCTAssertTrue(text.contains("no_proxy"), text)
        }
        XCTAssertThrowsError(try resolve("http://localhost:4000", ["ALL_PROXY": "socks5://user:secret@10.1.1.1:1080"])) { error in
            XCTAssertFalse("\(error)".contains("secret"), "\(error)")
        }
        XCTAssertThrowsError(try resolve("http://localhost:4000", ["http_proxy": "proxy.corp:3128"]))
        XCTAssertThrowsError(try resolve("http://127.0.0.1:4000", ["http_proxy": "http://proxy.corp:3128", "no_proxy": "localhost"]))
        XCTAssertThrowsError(try resolve("http://example.com", ["http_proxy": "http://127.0.0.1:3128"]),
                             "the proxy passes the request on to example.com in clear")
        // Allowed: the proxy is on this machine, or not used for the host, or not read for http://.
        XCTAssertNoThrow(try resolve("http://127.0.0.1:4000", ["http_proxy": "http://127.0.0.1:3128"]))
        XCTAssertNoThrow(try resolve("http://127.0.0.1:4000", ["http_proxy": "http://proxy.corp:3128", "no_proxy": "localhost,127.0.0.1"]))
        XCTAssertNoThrow(try resolve("http://127.0.0.1:4000", ["http_proxy": "http://proxy.corp:3128", "NO_PROXY": "127.0.0.0/8"]))
        XCTAssertNoThrow(try resolve("http://localhost:4000", ["http_proxy": "http://proxy.corp:3128", "no_proxy": "*"]))
        XCTAssertNoThrow(try resolve("http://[::1]:4000", ["http_proxy": "http://proxy.corp:3128", "no_proxy": "::1"]))
        XCTAssertNoThrow(try resolve("http://127.0.0.1:4000", ["HTTP_PROXY": "http://proxy.corp:3128"]), "libcurl ignores HTTP_PROXY")
        XCTAssertNoThrow(try resolve("http://127.0.0.1:4000", ["https_proxy": "http://proxy.corp:3128"]), "https_proxy is for https://")
        XCTAssertNoThrow(try resolve("https://example.com", ["https_proxy": "http://proxy.corp:3128"]))
    }

    func testDefaultProfilesPath() {
        XCTAssertEqual(ProfileFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]), "/x/authgear-migrate/profiles.json")
        XCTAssertEqual(ProfileFile.defaultPath(environment: ["HOME": "/h"]), "/h/.config/authgear-migrate/profiles.json")
        XCTAssertNil(ProfileFile.defaultPath(environment: [:]))
    }
}
