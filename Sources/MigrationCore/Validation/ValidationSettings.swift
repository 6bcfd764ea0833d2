/// What a record is validated against: the run's identifier and upsert mode, and the project.
public struct ValidationSettings: Sendable, Equatable {
    public var identifier: ImportIdentifier
    public var upsert: Bool
    public var project: ProjectConfig

    public init(identifier: ImportIdentifier, upsert: Bool = false, project: ProjectConfig = .default) {
        self.identifier = identifier
        self.upsert = upsert
        self.project = project
    }
}

/// The field that identifies users in an import (`identifier` in the request).
public enum ImportIdentifier: String, Sendable, CaseIterable, Codable {
    case email
    case phoneNumber = "phone_number"
    case preferredUsername = "preferred_username"

    /// The login-ID type the server looks up for this identifier.
    public var loginIDType: LoginIDType {
        switch self {
        case .email: return .email
        case .phoneNumber: return .phone
        case .preferredUsername: return .username
        }
    }

    public var field: String { rawValue }
}
