import MigrationCore

public enum SettingsField: String, Equatable, Sendable, CaseIterable {
    case endpoint, projectID, keyID, keyFile, identifier, upsert, concurrency
}

/// Target and run options, from flags/environment/profile, editable before launch.
public struct ImportSettings: Equatable, Sendable {
    public var endpoint = ""
    public var projectID = ""
    public var keyID = ""
    public var keyFile = ""
    public var identifier: ImportIdentifier = .email
    public var upsert = false
    public var concurrency = 2
    public var selected = 0
    /// The connection check's steps: (name, ok, detail).
    public var check: [CheckStep] = []
    public var checking = false
    public init() {}

    public var isComplete: Bool { !endpoint.isEmpty && !projectID.isEmpty && !keyID.isEmpty && !keyFile.isEmpty }
}

public struct CheckStep: Equatable, Sendable {
    public var name: String
    public var ok: Bool
    public var detail: String
    public init(name: String, ok: Bool, detail: String) {
        self.name = name
        self.ok = ok
        self.detail = detail
    }
}
