import MigrationCore

/// An error of the sandbox control API: `400 {"error": {"message": …, "path": "/users/0/identities/1/key"}}`.
public struct ControlError: Error, Sendable, Equatable {
    public var message: String
    /// JSON pointer of the offending value in the request body (`""` for the body itself).
    public var path: String

    public init(message: String, path: String) {
        self.message = message
        self.path = path
    }

    /// The response body `{"error": {"message", "path"}}`.
    public var json: JSONValue {
        .obj(["error": .obj(["message": .string(message), "path": .string(path)])])
    }
}
