#if canImport(Glibc)
import Glibc
#endif

/// Hands memory freed by a reset back to the system.
///
/// glibc keeps freed blocks in its arenas (one per thread that allocated), so after dropping a
/// million users the process would keep its peak RSS. `malloc_trim(0)` returns the free pages of
/// every arena. It is looked up at run time: `<malloc.h>` is not part of Swift's Glibc module.
enum SandboxMemory {
    static func releaseFreed() {
        #if os(Linux)
        typealias Trim = @convention(c) (Int) -> Int32
        // RTLD_DEFAULT is the null handle on Linux.
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }
}
