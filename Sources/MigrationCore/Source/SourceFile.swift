import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A source file mapped read-only into memory.
///
/// The mapping is created once and never written; the bytes are shared by the index scan,
/// the validation pass and the request builder without copies.
// @unchecked Sendable: the only stored state is an immutable, read-only mapping (PROT_READ) that
// lives until deinit; no code path mutates it, so concurrent reads are safe.
public final class SourceFile: @unchecked Sendable {
    /// The path as the operator gave it.
    public let path: String
    /// Size in bytes.
    public let size: Int
    /// Modification time (seconds since 1970), used to notice a changed source.
    public let modificationTime: Double
    private let base: UnsafeMutableRawPointer?

    /// The whole file.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: size) }

    /// Opens and maps `path`. Errors name the path and the reason.
    public init(path: String) throws(SourceError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw SourceError(path: path, message: "cannot open the file: \(reason)",
                              hint: errno == ENOENT ? "check the path; it is relative to \(FileManager.default.currentDirectoryPath)" : nil)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw SourceError(path: path, message: "cannot read the file's size: \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw SourceError(path: path, message: "not a regular file", hint: "give the path of a JSON, NDJSON or CSV file")
        }
        self.size = Int(st.st_size)
        self.modificationTime = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        if size == 0 {
            base = nil
            return
        }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else {
            throw SourceError(path: path, message: "cannot map the file into memory: \(String(cString: strerror(errno)))")
        }
        madvise(p, size, MADV_SEQUENTIAL)
        base = p
    }

    deinit {
        if let base { munmap(base, size) }
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
    public func snippet(around offset: Int) -> (text: String, caret: Int) {
        SourceError.snippet(bytes, around: offset)
    }
}
