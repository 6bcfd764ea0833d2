import Foundation
import MigrationEngine
import XCTest
@testable import authgear_migrate

/// The headless reporter on an injected clock: a plain line every 5 s whatever the events, a job
/// pending over 10 s named with its age since it was sent, the bar and the JSON `job_pending`
/// events. No assertion depends on how fast the wall clock runs.
final class RunReporterTests: XCTestCase {
    /// A clock the test moves by hand, and what the reporter wrote.
    final class Harness: @unchecked Sendable {
        private let lock = NSLock()
        private var time = Date(timeIntervalSince1970: 1_800_000_000)
        private var errText = "", outText = ""
        var now: Date { lock.withLock { time } }
        func advance(_ seconds: Double) { lock.withLock { time += seconds } }
        var stderr: String { lock.withLock { errText } }
        var stdout: String { lock.withLock { outText } }
        var lines: [String] { stderr.split(separator: "\n").map(String.init) }
        func reporter(json: Bool = false, tty: Bool = false) -> RunReporter {
            RunReporter(json: json, tty: tty, clock: { self.now },
                        stderr: { s in self.lock.withLock { self.errText += s } },
                        stdout: { s in self.lock.withLock { self.outText += s } })
        }
    }

    func snapshot(done: Int, toSend: Int) -> ProgressSnapshot {
        var c = OutcomeCounts()
        c.inserted = done
        return ProgressSnapshot(counts: c, toSend: toSend, done: done, inFlightBatches: 1, recordsPerSecond: 20, eta: nil)
    }

    func testAPlainLineEveryFiveSecondsWhileNothingCompletes() {
        let h = Harness()
        let r = h.reporter()
        r.handle(.batchSending(batch: 7, records: 100, attempt: 1))
        r.handle(.batchSent(batch: 7, jobID: "userimport_7"))
        XCTAssertEqual(r.tick(), 5, accuracy: 1e-9, "the first line is due 5 s after the start")
        h.advance(4.9)
        XCTAssertEqual(r.tick(), 0.1, accuracy: 1e-6)
        XCTAssertEqual(h.lines, [])
        h.advance(0.1)
        XCTAssertEqual(r.tick(), 5, accuracy: 1e-9)
        // Nothing completed yet: the line names the job it waits for, not a silent 0.
        XCTAssertEqual(h.lines, ["progress: no record completed yet, 1 batch in flight; waiting for job userimport_7 (5 s)"])
        h.advance(5)
        r.tick()
        XCTAssertEqual(h.lines.count, 2, "pending for 10 s is not long yet: \(h.lines)")
        h.advance(5)
        r.tick()
        XCTAssertEqual(h.lines.last, "progress: no record completed yet, 1 batch in flight; waiting for job userimport_7 (15 s)",
                       "the job waited for is not named twice")
        // Pending events (polls) do not add lines of their own; the age still counts from the send.
        h.advance(1)
        r.handle(.jobPending(batch: 7, jobID: "userimport_7", polls: 9, since: h.now.addingTimeInterval(-16)))
        XCTAssertEqual(h.lines.count, 3)
        h.advance(114)
        r.tick()
        XCTAssertEqual(h.lines.last, "progress: no record completed yet, 1 batch in flight; waiting for job userimport_7 (2m10s)")
    }

    func testAResumedJobsAgeIsCountedFromWhenItWasSent() {
        let h = Harness()
        let r = h.reporter()
        // A resumed run learns of its sent job from the first poll, carrying the journal's sent_at.
        r.handle(.jobPending(batch: 3, jobID: "userimport_3", polls: 1, since: h.now.addingTimeInterval(-3600 * 2 - 125)))
        h.advance(5)
        r.tick()
        XCTAssertEqual(h.lines, ["progress: no record completed yet, 1 batch in flight; waiting for job userimport_3 (2h02m)"])
    }

    func testCompletedJobsAreNoLongerNamedAndProgressLinesKeepTheirPace() {
        let h = Harness()
        let r = h.reporter()
        r.handle(.batchSent(batch: 1, jobID: "userimport_1"))
        r.handle(.batchSent(batch: 2, jobID: "userimport_2"))
        h.advance(11)
        r.handle(.batchCompleted(batch: 1, counts: OutcomeCounts(), failures: []))
        r.handle(.progress(snapshot(done: 100, toSend: 200)))
        XCTAssertEqual(h.lines, ["progress: 100/200 records, inserted 100, updated 0, skipped 0, failed 0, 20 records/s",
                                 "job userimport_2 (batch 2) pending for 11s, server still processing"])
        h.advance(1)
        r.handle(.progress(snapshot(done: 150, toSend: 200)))
        r.tick()
        XCTAssertEqual(h.lines.count, 2, "at most a line every 5 s")
        h.advance(4)
        r.handle(.batchCompleted(batch: 2, counts: OutcomeCounts(), failures: []))
        r.tick()
        XCTAssertEqual(h.lines.last, "progress: 150/200 records, inserted 150, updated 0, skipped 0, failed 0, 20 records/s")
        XCTAssertEqual(h.lines.count, 3, "the completed job is not named")
        r.handle(.progress(snapshot(done: 200, toSend: 200)))
        XCTAssertEqual(h.lines.count, 4, "the last progress line comes at once")
        r.handle(.finished(OutcomeCounts()))
        h.advance(60)
        r.tick()
        XCTAssertEqual(h.lines.count, 4, "nothing after the run ended")
    }

    func testAtMostThreeJobsAreNamedPerLine() {
        let h = Harness()
        let r = h.reporter()
        for b in 1...5 {
            r.handle(.batchSent(batch: Int64(b), jobID: "userimport_\(b)"))
            h.advance(1)
        }
        h.advance(10)
        r.tick()
        XCTAssertEqual(h.lines, ["progress: no record completed yet, 5 batches in flight; waiting for job userimport_1 (15 s)",
                                 "job userimport_2 (batch 2) pending for 14s, server still processing",
                                 "job userimport_3 (batch 3) pending for 13s, server still processing",
                                 "job userimport_4 (batch 4) pending for 12s, server still processing",
                                 "… and 1 more job pending for over 10 s"])
    }

    func testTheBarIsRedrawnEverySecondAndNamesTheOldestPendingJob() {
        let h = Harness()
        let r = h.reporter(tty: true)
        r.handle(.batchSent(batch: 4, jobID: "userimport_4"))
        h.advance(1)
        XCTAssertEqual(r.tick(), 1, accuracy: 1e-9)
        XCTAssertEqual(h.stderr, "\r\u{1B}[2Ksending: 1 batch in flight  waiting for job userimport_4 (1 s)")
        h.advance(11)
        r.tick()
        XCTAssertTrue(h.stderr.hasSuffix("\r\u{1B}[2Ksending: 1 batch in flight  waiting for job userimport_4 (12 s)"), h.stderr)
    }

    func testJSONSaysEveryFiveSecondsWhichJobsArePendingLong() throws {
        let h = Harness()
        let r = h.reporter(json: true)
        r.handle(.batchSent(batch: 2, jobID: "userimport_2"))
        h.advance(5)
        r.tick()
        h.advance(5)
        r.tick()
        XCTAssertEqual(h.stdout.split(separator: "\n").count, 1, "only batch_sent so far: \(h.stdout)")
        h.advance(5)
        r.tick()
        let lines = h.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(lines.count, 2)
        let event = try XCTUnwrap(lines.last ?? nil)
        XCTAssertEqual(event["event"] as? String, "job_pending")
        XCTAssertEqual(event["batch"] as? Int, 2)
        XCTAssertEqual(event["job_id"] as? String, "userimport_2")
        XCTAssertEqual(event["pending_seconds"] as? Int, 15)
        XCTAssertEqual(event["sent_at"] as? String, "2027-01-15T08:00:00.000Z")
        XCTAssertEqual(h.stderr, "", "JSON mode writes no progress text")
    }

    func testTheTickingTaskStopsWithTheRun() {
        let h = Harness()
        let r = h.reporter()
        XCTAssertFalse(r.isTicking)
        r.startTicking()
        XCTAssertTrue(r.isTicking)
        r.stopTicking()
        XCTAssertFalse(r.isTicking)
        h.advance(60)
        r.tick()
        XCTAssertEqual(h.stderr, "")
    }

    func testDurations() {
        XCTAssertEqual(RunReporter.duration(0), "0s")
        XCTAssertEqual(RunReporter.duration(59.9), "59s")
        XCTAssertEqual(RunReporter.duration(130), "2m10s")
        XCTAssertEqual(RunReporter.duration(3600 + 125), "1h02m")
        XCTAssertEqual(RunReporter.duration(-3), "0s")
    }
}
