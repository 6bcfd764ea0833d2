import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Port of Go `time.LoadLocation` on Linux (system zoneinfo directories, no embedded tzdata).
enum GoTimezone {
    /// Go's `platformZoneSources` on Unix, in order.
    static let sources = ["/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/", "/etc/zoneinfo"]

    /// Zone names found as TZif files under /usr/share/zoneinfo at first use (fast path only:
    /// a miss still goes through the faithful file-system lookup below).
    static let knownZones: Set<String> = {
        var names = Set<String>()
        let root = sources[0]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return names }
        while let rel = walker.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: root + rel), data.count >= 44,
               data.prefix(4) == Data("TZif".utf8) {
                names.insert(rel)
            }
        }
        return names
    }()

    /// nil when `time.LoadLocation(name)` succeeds, else its `Error()` text.
    static func loadError(_ name: String) -> String? {
        if name.isEmpty || name == "UTC" || name == "Local" { return nil }
        if knownZones.contains(name) { return nil }
        let b = Array(name.utf8)
        if b.first == UInt8(ascii: "/") || b.first == UInt8(ascii: "\\") || name.containsBytes("..") {
            return "time: invalid location name"
        }
        var firstError: String?
        for source in sources {
            switch readZone(source + "/" + name) {
            case .ok: return nil
            case .notFound: continue
            case .failed(let message):
                if firstError == nil { firstError = message }
            }
        }
        return firstError ?? "unknown time zone " + name
    }

    private enum ReadResult { case ok, notFound, failed(String) }

    /// Go `readFile` + `LoadLocationFromTZData` (header check only).
    private static func readZone(_ path: String) -> ReadResult {
        if path.utf8.contains(0) { return .failed(goErrno(EINVAL)) }
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            let e = errno
            return e == ENOENT ? .notFound : .failed(goErrno(e))
        }
        defer { close(fd) }
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
            if n < 0 {
                let e = errno
                return e == ENOENT ? .notFound : .failed(goErrno(e))
            }
            if n == 0 { break }
            data += buf[0..<n]
            if data.count > 10 << 20 { return .failed("too large") }
        }
        if data.count < 44 || Array(data[0..<4]) != Array("TZif".utf8) {
            return .failed("malformed time zone information")
        }
        return .ok
    }

    /// Go's text for a `syscall.Errno` on Linux (lowercase, unlike glibc's strerror).
    private static func goErrno(_ e: Int32) -> String {
        switch e {
        case ENOTDIR: return "not a directory"
        case EISDIR: return "is a directory"
        case EACCES: return "permission denied"
        case ENAMETOOLONG: return "file name too long"
        case ELOOP: return "too many levels of symbolic links"
        case EINVAL: return "invalid argument"
        default:
            let text = SystemError.text(e)
            return text.prefix(1).lowercased() + text.dropFirst()
        }
    }
}
