import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A source file mapped read-only into memory.
///
/// The mapping is created once and never written; the bytes are shared by the index scan,
/// the validation pass and the request builder without copies.
///
/// Only regular files are opened: a FIFO, socket, device or directory is refused after a `stat`,
/// before any `open` (opening a FIFO blocks until a writer comes). A file truncated while it is
/// mapped does not crash the process (see `MappingFaultGuard`): the missing bytes read as zeros,
/// `changedWhileReading` turns true, and `checkUnchanged` refuses every result built from them.
// @unchecked Sendable: the stored state is an immutable, read-only mapping (PROT_READ) that lives
// until deinit, and a descriptor only used for `fstat`; no code path mutates them, so concurrent
// reads are safe. (The fault guard may replace pages past the file's end with zeros, atomically.)
public final class SourceFile: @unchecked Sendable {
    /// The path as the operator gave it.
    public let path: String
    /// Size in bytes.
    public let size: Int
    /// Modification time (seconds since 1970), used to notice a changed source.
    public let modificationTime: Double
    private let base: UnsafeMutableRawPointer?
    /// Kept open to `fstat` the very file that is mapped, even if the path is replaced.
    private let descriptor: Int32
    /// The mapping's slot in `MappingFaultGuard`.
    private let guardSlot: Int?

    /// The whole file.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: size) }

    /// What a file that is not a regular file is, for messages; nil for a regular file.
    static func specialKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFDIR: return "a directory"
        default: return "not a regular file"
        }
    }

    static func notRegular(_ path: String, _ kind: String) -> SourceError {
        SourceError(path: path, message: "not a regular file: it is \(kind)",
                    hint: kind.hasPrefix("a FIFO") || kind == "a socket" || kind == "a character device"
                        ? "save the data to a file first and give that file's path (a source is read more than once)"
                        : "give the path of a JSON, NDJSON or CSV file")
    }

    /// Opens and maps `path`. Errors name the path and the reason.
    public init(path: String) throws(SourceError) {
        self.path = path
        // Look before opening: open() of a FIFO blocks until something writes to it.
        var before = stat()
        if stat(path, &before) == 0, let kind = SourceFile.specialKind(before.st_mode) {
            throw SourceFile.notRegular(path, kind)
        }
        // O_NONBLOCK as well, in case the path became a FIFO since the stat (it has no effect on a regular file).
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let reason = SystemError.text()
            throw SourceError(path: path, message: "cannot open the file: \(reason)",
                              hint: errno == ENOENT ? "check the path; it is relative to \(FileManager.default.currentDirectoryPath)" : nil)
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = SystemError.text()
            close(fd)
            throw SourceError(path: path, message: "cannot read the file's size: \(reason)")
        }
        if let kind = SourceFile.specialKind(st.st_mode) {
            close(fd)
            throw SourceFile.notRegular(path, kind)
        }
        self.size = Int(st.st_size)
        self.modificationTime = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        if size == 0 {
            close(fd)
            descriptor = -1
            base = nil
            guardSlot = nil
            return
        }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else {
            let reason = SystemError.text()
            close(fd)
            throw SourceError(path: path, message: "cannot map the file into memory: \(reason)")
        }
        madvise(p, size, MADV_SEQUENTIAL)
        base = p
        descriptor = fd
        guardSlot = MappingFaultGuard.register(base: p, size: size)
    }

    deinit {
        if let guardSlot { MappingFaultGuard.unregister(guardSlot) }
        if let base { munmap(base, size) }
        if descriptor >= 0 { close(descriptor) }
    }

    // MARK: - A file that changes while it is read

    /// True once a read of the mapping fell past the file's end (it was truncated while mapped):
    /// the bytes read there were zeros. One atomic load: cheap enough for every record.
    public var changedWhileReading: Bool {
        guard let guardSlot else { return false }
        return MappingFaultGuard.faulted(guardSlot)
    }

    /// The file's size now (`fstat` of the mapped file), or nil when it cannot be read.
    public func currentSize() -> Int? {
        guard descriptor >= 0 else { return nil }
        var st = stat()
        guard fstat(descriptor, &st) == 0 else { return nil }
        return Int(st.st_size)
    }

    /// Whether what was read from the mapping can no longer be trusted: a read fell past the
    /// file's end, or the file is now shorter than when it was mapped (a read may still fall there).
    public func hasShrunk() -> Bool {
        if changedWhileReading { return true }
        if let now = currentSize(), now < size { return true }
        return false
    }

    /// The error for a file that changed while it was read; `then` says what to do once it is restored.
    public func changedError(then: String = "run the command again") -> SourceError {
        let now = currentSize().map { ", now \($0) bytes" } ?? ""
        return SourceError(path: path, message: "the file changed while being read (it is shorter than when it was opened: \(size) bytes\(now))",
                           hint: "restore it and \(then); nothing built from the missing bytes was used")
    }

    /// Throws `changedError` when the file changed while it was read (see `hasShrunk`).
    public func checkUnchanged(then: String = "run the command again") throws(SourceError) {
        if hasShrunk() { throw changedError(then: then) }
    }

    /// Tells the kernel that the pages inside `range` are not needed for now. They stay mapped
    /// and come back from the page cache on the next read; meanwhile they do not count towards
    /// this process's resident memory. Used behind the index scan and the validation pass, so a
    /// multi-GB source does not stay resident.
    public func releasePages(_ range: Range<Int>) {
        guard let base, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = min(range.upperBound, size) / page * page
        guard end > start else { return }
        madvise(base + start, end - start, MADV_DONTNEED)
    }

    /// A short fingerprint of the content: size plus FNV-1a over up to 64 KiB from the start,
    /// the middle and the end. Cheap on a huge file; a change anywhere that keeps size and
    /// these samples identical goes unnoticed (the modification time is recorded as well).
    public func fingerprint() -> String {
        var h: UInt64 = 0xcbf29ce484222325
        let sample = 64 * 1024
        let b = bytes
        func mix(_ range: Range<Int>) {
            for i in range { h = (h ^ UInt64(b[i])) &* 0x100000001b3 }
        }
        if size <= 3 * sample {
            mix(0..<size)
        } else {
            mix(0..<sample)
            mix(size / 2 ..< size / 2 + sample)
            mix(size - sample ..< size)
        }
        return "\(size)-" + String(h, radix: 16)
    }

    /// The 1-based line and column of byte `offset`, counting from the start of the file.
    public func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        let b = bytes
        let end = min(offset, size)
        var i = 0
        while i < end {
            if b[i] == 0x0A { line += 1; lineStart = i + 1 }
            i += 1
        }
        return (line, offset - lineStart + 1)
    }

    /// The text of the line that contains `offset` (at most 160 characters around it), for error messages.
    /// Secrets in it are masked (see `ExcerptMasking`).
    public func snippet(around offset: Int, masking: ExcerptMasking = .json) -> (text: String, caret: Int) {
        SourceError.snippet(bytes, around: offset, masking: masking)
    }
}
