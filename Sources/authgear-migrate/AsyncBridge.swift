import Foundation
import Synchronization

/// Runs an async command body from a synchronous command: waits for it, and Ctrl-C cancels it
/// (the body sees `CancellationError` at its next check).
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    do { return try awaitInterruptibly(saying: "interrupting…", body).get() } catch is CancellationError {
        throw CLIError.unreadable("interrupted (Ctrl-C)")
    }
}

/// Waits for `body` on the calling thread; a Ctrl-C prints `saying` and cancels the task (the one
/// place a command turns SIGINT into cancellation: `runBlocking` and the engine's runs share it).
func awaitInterruptibly<T: Sendable>(saying message: String, _ body: @escaping @Sendable () async throws -> T) -> Result<T, any Error> {
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
        FileHandle.standardError.write(Data("\n\(message)\n".utf8))
        task.cancel()
    }
    sigint.resume()
    done.wait()
    sigint.cancel()
    signal(SIGINT, SIG_DFL)
    return outcome.withLock { $0 }!
}
