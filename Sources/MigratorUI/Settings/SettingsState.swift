import MigrationCore

public enum SettingsField: String, Equatable, Sendable, CaseIterable {
    case endpoint, projectID, keyID, keyFile, identifier, upsert, concurrency, sendAll, canary
}

/// What earlier runs into the target already imported of the open source (the engine's DeltaPlan, counted).
public struct LaunchDelta: Equatable, Sendable {
    /// The target and identifier it was counted for.
    public var endpoint: String
    public var projectID: String
    public var identifier: ImportIdentifier
    /// Sendable records that already have a successful outcome, and all sendable records.
    public var done: Int
    public var sendable: Int
    /// The engine's words: which runs, matched how.
    public var text: String
    public init(endpoint: String, projectID: String, identifier: ImportIdentifier, done: Int, sendable: Int, text: String) {
        self.endpoint = endpoint
        self.projectID = projectID
        self.identifier = identifier
        self.done = done
        self.sendable = sendable
        self.text = text
    }

    public func isFor(_ s: ImportSettings) -> Bool { endpoint == s.endpoint && projectID == s.projectID && identifier == s.identifier }
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
    /// Send every sendable record, also those earlier runs into this target already imported (default: only the rest).
    public var sendAll = false
    /// Records sent first as a canary, stopping for a go / no-go (0: no canary).
    public var canary = 0
    public var selected = 0
    /// The connection check's steps: (name, ok, detail).
    public var check: [CheckStep] = []
    public var checking = false
    /// The failed check the operator chose to launch despite (asked once per check result).
    public var acceptedFailedCheck: [CheckStep]?
    public init() {}

    /// The steps of the last connection check that failed.
    public var failedCheckSteps: [CheckStep] { check.filter { !$0.ok } }

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
