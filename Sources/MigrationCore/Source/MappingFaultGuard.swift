#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Keeps a source file that is truncated while it is mapped from killing the process.
///
/// Reading a page of a mapping that lies past the file's current end raises SIGBUS. The guard's
/// handler (installed once, the first time a file is mapped) looks the fault address up among
/// the registered `SourceFile` mappings. When it is inside one, it maps anonymous zero pages over
/// the rest of that mapping (`MAP_FIXED`), marks the mapping as faulted and returns: the read
/// runs again and sees zeros, and every result built from those bytes is then refused by
/// `SourceFile.checkUnchanged` with a "changed while being read" error. Any other SIGBUS goes to
/// the handler that was installed before (the Swift runtime's backtracer, or the default action).
///
/// The handler only reads atomics and calls `mmap` and `sigaction`, which are async-signal-safe.
enum MappingFaultGuard {
    static let capacity = 256

    /// Per slot: [start, end) of the mapping (start 0 when the slot is free), and whether a read
    /// faulted in it. Allocated once and never freed, so the handler can always read them.
    nonisolated(unsafe) static let starts: UnsafeMutablePointer<Atomic<Int>> = makeAtomics()
    nonisolated(unsafe) static let ends: UnsafeMutablePointer<Atomic<Int>> = makeAtomics()
    nonisolated(unsafe) static let faults: UnsafeMutablePointer<Atomic<Int>> = makeAtomics()
    /// The SIGBUS action that was in place before ours.
    nonisolated(unsafe) static let previous: UnsafeMutablePointer<sigaction> = {
        let p = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
        p.initialize(to: sigaction())
        return p
    }()
    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    private static let registry = Mutex(())
    private static let installed: Bool = {
        _ = starts; _ = ends; _ = faults; _ = previous; _ = pageSize
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = { _, info, _ in
            // A fault (si_code > 0) inside a source mapping: zero-fill and go on.
            if let info, info.pointee.si_code > 0,
               MappingFaultGuard.zeroFill(address: Int(bitPattern: info.pointee._sifields._sigfault.si_addr)) { return }
            // Anything else: put the previous action back. A fault happens again when the read
            // is retried and gets it; a SIGBUS sent by kill() is sent again (delivered on return).
            sigaction(SIGBUS, MappingFaultGuard.previous, nil)
            if let info, info.pointee.si_code <= 0 { raise(SIGBUS) }
        }
        action.sa_flags = SA_SIGINFO
        sigemptyset(&action.sa_mask)
        return sigaction(SIGBUS, &action, previous) == 0
    }()

    private static func makeAtomics() -> UnsafeMutablePointer<Atomic<Int>> {
        let p = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: capacity)
        for i in 0..<capacity { (p + i).initialize(to: Atomic(0)) }
        return p
    }

    /// Registers the mapping `[base, base + size)`; nil when every slot is taken (the mapping is
    /// then unguarded, as before the guard existed).
    static func register(base: UnsafeRawPointer, size: Int) -> Int? {
        guard installed else { return nil }
        let start = Int(bitPattern: base)
        return registry.withLock { _ in
            for i in 0..<capacity where starts[i].load(ordering: .relaxed) == 0 {
                faults[i].store(0, ordering: .relaxed)
                ends[i].store(start + size, ordering: .relaxed)
                starts[i].store(start, ordering: .releasing)
                return i
            }
            return nil
        }
    }

    /// Forgets slot `i` (before its mapping is unmapped).
    static func unregister(_ i: Int) {
        registry.withLock { _ in starts[i].store(0, ordering: .releasing) }
    }

    /// Whether a read in slot `i`'s mapping fell past the end of its file.
    static func faulted(_ i: Int) -> Bool { faults[i].load(ordering: .acquiring) != 0 }

    /// Called from the signal handler: zero-fills the rest of the mapping that holds `address`.
    static func zeroFill(address: Int) -> Bool {
        for i in 0..<capacity {
            let start = starts[i].load(ordering: .acquiring)
            guard start != 0, address >= start else { continue }
            let end = ends[i].load(ordering: .relaxed)
            guard address < end else { continue }
            // Every page from the faulting one on is past the file's end: cover them all at once.
            let page = address & ~(pageSize - 1)
            let length = (end - page + pageSize - 1) & ~(pageSize - 1)
            // Flagged before the zeros appear: another thread that reads them (without a fault of
            // its own) must find the flag set when it checks.
            faults[i].store(1, ordering: .sequentiallyConsistent)
            let p = mmap(UnsafeMutableRawPointer(bitPattern: page), length, PROT_READ, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            return p != MAP_FAILED
        }
        return false
    }
}
