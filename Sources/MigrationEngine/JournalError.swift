import Foundation
import GRDB
import GRDBSQLite
import MigrationCore

/// A problem with the journal itself: it names the journal file and says what to do. Every
/// journal and SQLite failure reaches the commands as one of these (exit status 2).
public struct JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Another process holds the journal's lock.
        case inUse
        /// The journal's files were deleted or replaced while this process was writing them.
        case changed
        /// The file is not a journal, or is damaged.
        case damaged
        /// The disk is full.
        case full
        /// The journal cannot be written (permissions, read-only file system).
        case readOnly
        /// Any other failure of SQLite or the file system.
        case failed
    }

    public var path: String
    public var kind: Kind
    /// What happened, with SQLite's or the system's own reason.
    public var detail: String
    /// What the operator can do about it.
    public var hint: String

    public init(path: String, kind: Kind, detail: String, hint: String) {
        self.path = path
        self.kind = kind
        self.detail = detail
        self.hint = hint
    }

    public var description: String { "journal \(path): \(detail)\n  what to do: \(hint)" }

    /// Describes a GRDB/SQLite failure; `systemErrno` is SQLite's last OS error, when known.
    init(path: String, _ error: DatabaseError, systemErrno: Int32 = 0) {
        var os = systemErrno != 0 ? ": \(SystemError.text(systemErrno))" : ""
        if error.resultCode == .SQLITE_IOERR || error.resultCode == .SQLITE_FULL, let why = JournalError.writeLimits(path) { os += "; " + why }
        let sqlite = "\(error.message ?? "SQLite error")\(os) (SQLite code \(error.extendedResultCode.rawValue))"
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            self.init(path: path, kind: .damaged, detail: "the journal file is damaged or is not a journal: \(sqlite)",
                      hint: "keep a copy of the file for the record; recover what it holds with `sqlite3 \(path) .recover`, or start afresh with --journal NEW_FILE (the server skips users it already has)")
        case .SQLITE_FULL:
            self.init(path: path, kind: .full, detail: "cannot write the journal, the disk is full: \(sqlite)",
                      hint: "free space on the disk that holds \(path), then `authgear-migrate resume`: everything committed before is kept")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            self.init(path: path, kind: .readOnly, detail: "cannot open or write the journal: \(sqlite)",
                      hint: "check that \(path) and its directory are writable by this user (and that the file system is not read-only)")
        case .SQLITE_IOERR:
            self.init(path: path, kind: .failed, detail: "the system failed to read or write the journal: \(sqlite)",
                      hint: "check the disk that holds \(path) (space, errors in the system log), then `authgear-migrate resume`")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self.init(path: path, kind: .inUse, detail: "the journal stayed locked by another connection: \(sqlite)",
                      hint: "another program has the journal open for writing: wait for it, or stop it")
        default:
            self.init(path: path, kind: .failed, detail: sqlite, hint: "keep a copy of \(path) and report this error")
        }
    }

    /// What the system says limits writing beside `path`: a file-size limit on this process
    /// (`ulimit -f`), or a nearly full file system. SQLite does not keep the OS error of a failed
    /// commit, so the limits themselves are read.
    static func writeLimits(_ path: String) -> String? {
        var reasons: [String] = []
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            reasons.append("File too large: this process may not write files larger than \(limit.rlim_cur / 1024) KiB (ulimit -f)")
        }
        var fs = statvfs()
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if statvfs(dir, &fs) == 0 {
            let free = UInt64(fs.f_bavail) * UInt64(fs.f_frsize)
            if free < 64 << 20 { reasons.append("No space left on device: \(free / 1024) KiB free on the file system of \(dir)") }
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    /// Runs `body`, turning SQLite errors into journal errors that name `path`; `systemErrno` reads
    /// SQLite's last OS error after a failure outside a database access (a failed commit).
    static func wrapping<T>(path: String, systemErrno: () -> Int32 = { 0 }, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError { throw JournalError(path: path, error, systemErrno: systemErrno()) }
    }

    /// Inside a database access: also reads SQLite's last OS error for the message.
    static func wrapping<T>(path: String, db: Database, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError {
            throw JournalError(path: path, error, systemErrno: sqlite3_system_errno(db.sqliteConnection))
        }
    }
}

extension JournalError: CommandFailure {}
