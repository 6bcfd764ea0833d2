import Foundation
import Synchronization

/// Runs an async command body from a synchronous command: waits for it, and Ctrl-C cancels it
/// (the body sees `CancellationError` at its next check).
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    let task = Task {
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        outcome.withLock { $0 = result }
        done.signal()
    }
    signal(SIGINT, SIG_IGN)
    let sigint = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    sigint.setEventHandler {
        FileHandle.standardError.write(Data("\ninterrupting…\n".utf8))
        task.cancel()
    }
    sigint.resume()
    done.wait()
    sigint.cancel()
    signal(SIGINT, SIG_DFL)
    do { return try outcome.withLock { $0 }!.get() } catch is CancellationError {
        throw CLIError.unreadable("interrupted (Ctrl-C)")
    }
}
