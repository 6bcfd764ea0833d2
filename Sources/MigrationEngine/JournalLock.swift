import Foundation
import MigrationCore
import Synchronization

/// One process writes a journal at a time: an exclusive `flock` on `JOURNAL.lock`, held for as long
/// as a run is being created or executed. The kernel drops the lock when its process dies, so a
/// lock left by a killed process is taken over at once; the file then still names that process.
///
/// Re-entrant within a process (the command and the engine both take it); released when the
/// last holder releases it.
public final class JournalLock: Sendable {
    public let journalPath: String
    /// The process that held the lock before this one and died holding it, if any.
    public let tookOverFrom: String?
    private let released = Atomic<Bool>(false)

    private struct Held {
        var fd: Int32
        var holders: Int
    }
    private static let held = Mutex<[String: Held]>([:])

    /// `JOURNAL.lock` beside the journal.
    public static func lockPath(forJournal path: String) -> String { path + ".lock" }

    /// Takes the lock of the journal at `journalPath` for `command` (named in the lock file), or throws
    /// `JournalError.inUse` naming the process that holds it.
    public static func acquire(journal journalPath: String, command: String) throws(JournalError) -> JournalLock {
        let key = URL(fileURLWithPath: journalPath).standardizedFileURL.path
        let lockPath = lockPath(forJournal: key)
        let result: Result<String?, JournalError> = held.withLock { table in
            if var entry = table[key] {
                entry.holders += 1
                table[key] = entry
                return .success(nil)
            }
            let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                let reason = SystemError.text()
                return .failure(JournalError(path: journalPath, kind: .readOnly, detail: "cannot create the lock file \(lockPath): \(reason)",
                                             hint: "check that the journal's directory is writable by this user"))
            }
            while flock(fd, LOCK_EX | LOCK_NB) != 0 {
                if errno == EINTR { continue }
                let holder = readHolder(fd)
                close(fd)
                return .failure(JournalError(
                    path: journalPath, kind: .inUse,
                    detail: "another authgear-migrate is using this journal" + (holder.map { " (\($0))" } ?? ""),
                    hint: "wait for it to finish, or stop it (Ctrl-C; it stays resumable); two processes on one journal would send every batch twice. A lock left by a process that no longer runs is taken over automatically"))
            }
            let previous = readHolder(fd)
            let me = "pid \(getpid()), \(command), started \(ISO8601DateFormatter().string(from: Date()))"
            ftruncate(fd, 0)
            _ = me.utf8CString.withUnsafeBufferPointer { pwrite(fd, $0.baseAddress, $0.count - 1, 0) }
            fsync(fd)
            table[key] = Held(fd: fd, holders: 1)
            return .success(previous)
        }
        switch result {
        case .success(let previous): return JournalLock(journalPath: key, tookOverFrom: previous)
        case .failure(let error): throw error
        }
    }

    private init(journalPath: String, tookOverFrom: String?) {
        self.journalPath = journalPath
        self.tookOverFrom = tookOverFrom
    }

    deinit { release() }

    /// Whether this process holds the lock of the journal at `path`.
    public static func isHeld(journal path: String) -> Bool {
        let key = URL(fileURLWithPath: path).standardizedFileURL.path
        return held.withLock { $0[key] != nil }
    }

    /// Gives the lock up (once; also on deinit). The file is emptied so that it no longer names a holder.
    public func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        JournalLock.held.withLock { table in
            guard var entry = table[journalPath] else { return }
            entry.holders -= 1
            if entry.holders > 0 { table[journalPath] = entry; return }
            ftruncate(entry.fd, 0)
            close(entry.fd)
            table[journalPath] = nil
        }
    }

    /// The holder line a lock file holds (empty after a clean release).
    static func readHolder(_ fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}

extension JournalLock {
    /// Who holds a journal's lock right now, as seen from this process.
    public enum Holder: Sendable, Equatable {
        /// Nobody: no process is writing the journal.
        case free
        /// This process (a run of this process is executing).
        case thisProcess
        /// Another process; its line from the lock file (pid, command, start time) when it wrote one.
        case otherProcess(String?)
    }

    /// Probes the lock without keeping it: a shared, non-blocking `flock` that fails only while a
    /// process holds the exclusive lock. Never creates the lock file. (For the instant of the probe
    /// another process's `acquire` is refused as "in use"; probing is for status displays.)
    public static func holder(journal path: String) -> Holder {
        if isHeld(journal: path) { return .thisProcess }
        let key = URL(fileURLWithPath: path).standardizedFileURL.path
        let fd = open(lockPath(forJournal: key), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .free }
        defer { close(fd) }
        while flock(fd, LOCK_SH | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            return .otherProcess(readHolder(fd))
        }
        flock(fd, LOCK_UN)
        return .free
    }
}
