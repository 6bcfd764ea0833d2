import Foundation

/// Runs external programs for the tests (`openssl`, `socat`) through `/usr/bin/env`.
public enum ExternalTool {
    /// A tool the tests need is missing or did not start.
    public struct Missing: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Runs `arguments` through `/usr/bin/env` in `directory`; returns the exit status.
    @discardableResult
    public static func run(_ arguments: [String], in directory: String? = nil) throws -> Int32 {
        let process = try start(arguments, in: directory)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Starts `arguments` through `/usr/bin/env` with output discarded.
    public static func start(_ arguments: [String], in directory: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The absolute path of `program` on `PATH`, or `nil`.
    public static func which(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
