import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Request context that keeps the connection's channel (needed to drop or half-close it).
public struct SandboxRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}

/// The sandbox HTTP server: User Import API emulator plus the `/_sandbox/` control API.
///
/// The project is served on any `Host` (the real server resolves it from the host name).
/// All state is in memory; only the admin key persists in `dir`.
public final class SandboxServer: Sendable {
    /// The bound port (the real one when started with port 0).
    public let port: Int
    public let host: String
    /// The generated (or reused) admin key pair; its `kid` is `SandboxInfo.defaultKeyID`.
    public let keyPair: RSAKeyPair
    /// `DIR/admin-key.pem`.
    public let keyFilePath: String
    let state: SandboxState
    private let serviceGroup: ServiceGroup
    private let runTask: Task<Void, Never>
    private let workerTask: Task<Void, Never>

    /// The base URL, e.g. `http://127.0.0.1:8080`.
    public var endpoint: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// Starts listening; returns once the port is bound. `dir` keeps `admin-key.pem` (created 0600 when missing).
    public static func start(host: String = "127.0.0.1", port: Int = 0, dir: String, recordLatency: Int = 5,
                             faults: FaultPlan = .none) async throws -> SandboxServer {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let keyFile = (dir as NSString).appendingPathComponent("admin-key.pem")
        let (pair, _) = try RSAKeyPair.loadOrCreate(at: keyFile)
        let exportDirectory = (dir as NSString).appendingPathComponent("exports")
        try? FileManager.default.removeItem(atPath: exportDirectory)
        try FileManager.default.createDirectory(atPath: exportDirectory, withIntermediateDirectories: true)
        let state = SandboxState(sandboxKey: AdminKey(kid: SandboxInfo.defaultKeyID, publicKeyPEM: pair.publicKeyPEM), faults: faults,
                                 exportDirectory: exportDirectory)
        let router = SandboxRouter(state: state)
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "sandbox")
        logger.logLevel = .error
        let app = Application(
            responder: CallbackResponder { (request: Request, context: SandboxRequestContext) in
                try await router.respond(request, context: context)
            },
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let runTask = Task {
            do { try await group.run() } catch { portContinuation.finish() }
        }
        var iterator = portStream.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else {
            runTask.cancel()
            throw RSAKeyPair.KeyError(description: "cannot listen on \(host):\(port)")
        }
        let worker = ImportWorker(state: state, recordLatencyMilliseconds: recordLatency)
        let exportWorker = ExportWorker(state: state)
        let workerTask = Task {
            async let imports: Void = worker.run()
            async let exports: Void = exportWorker.run()
            _ = await (imports, exports)
        }
        return SandboxServer(port: bound, host: host, keyPair: pair, keyFilePath: keyFile, state: state,
                             serviceGroup: group, runTask: runTask, workerTask: workerTask)
    }

    private init(port: Int, host: String, keyPair: RSAKeyPair, keyFilePath: String, state: SandboxState,
                 serviceGroup: ServiceGroup, runTask: Task<Void, Never>, workerTask: Task<Void, Never>) {
        self.port = port
        self.host = host
        self.keyPair = keyPair
        self.keyFilePath = keyFilePath
        self.state = state
        self.serviceGroup = serviceGroup
        self.runTask = runTask
        self.workerTask = workerTask
    }

    /// Stops the worker and the listener; returns when both have ended.
    public func shutdown() async {
        await state.stop()
        await workerTask.value
        await serviceGroup.triggerGracefulShutdown()
        await runTask.value
    }

    /// Waits until the server stops (after `shutdown` or a fatal error).
    public func waitUntilStopped() async {
        await runTask.value
    }
}
