import XCTest
@testable import authgear_migrate

/// `--version`: the version and the commit scripts/package.sh recorded, or a plain build's
/// honest "no commit recorded".
final class BuildInfoTests: XCTestCase {
    let commit = "f75c58098987983566f18c0b240570be18c2bc3f"

    func testACleanRecordedBuildNamesItsFullCommitAndDate() {
        let p = BuildInfo.Provenance(commit: commit, date: "2026-12-04", dirty: false)
        XCTAssertEqual(BuildInfo.versionLine(version: "1.2.3", provenance: p),
                       "authgear-migrate 1.2.3 (commit \(commit), 2026-12-04)")
    }

    func testATreeWithUncommittedChangesSaysSo() {
        let p = BuildInfo.Provenance(commit: commit, date: "2026-12-04", dirty: true)
        XCTAssertEqual(BuildInfo.versionLine(version: "1.2.3", provenance: p),
                       "authgear-migrate 1.2.3 (commit \(commit) with uncommitted changes, 2026-12-04)")
    }

    func testAPlainBuildSaysNoCommitWasRecorded() {
        XCTAssertEqual(BuildInfo.versionLine(version: "1.2.3", provenance: nil),
                       "authgear-migrate 1.2.3 (built from a working tree: no commit recorded; scripts/package.sh records it)")
    }

    /// The test bundle is a plain `swift build`: nothing is baked in, and the line says so.
    func testThisBuildRecordedNoCommit() {
        XCTAssertNil(BuildInfo.provenance)
        XCTAssertTrue(BuildInfo.versionLine().hasPrefix("authgear-migrate \(BuildInfo.version) (built from a working tree"),
                      BuildInfo.versionLine())
    }
}
