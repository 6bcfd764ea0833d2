import Foundation
import MigrationCore

/// An operation and the records it applies to, as the runtime works it out and applies it.
public struct BulkRequest: Equatable, Sendable {
    public var operation: BulkOperation
    public var records: IndexSet
    public init(operation: BulkOperation, records: IndexSet) {
        self.operation = operation
        self.records = records
    }
}

/// The bulk overlay (b): choose an operation and its field and value, preview it (how many
/// records change, how many become valid), then confirm with y.
public struct BulkState: Equatable, Sendable {
    public enum Kind: Int, CaseIterable, Sendable {
        case exclude, include, set, delete, lowercase, phone, trim

        var title: String {
            switch self {
            case .exclude: return "Exclude from the import"
            case .include: return "Include again (undo exclusions)"
            case .set: return "Set a field to a value"
            case .delete: return "Delete a field"
            case .lowercase: return "Lowercase a field (an e-mail address)"
            case .phone: return "Phone number to E.164 (national numbers: default region)"
            case .trim: return "Trim white space (a field, or every string)"
            }
        }
        var needsField: Bool { self != .exclude && self != .include }
        var needsValue: Bool { self == .set || self == .phone }
        var valueLabel: String { self == .phone ? "region" : "value" }
        var defaultField: String {
            switch self {
            case .lowercase: return "email"
            case .phone: return "phone_number"
            default: return ""
            }
        }
    }

    public enum Focus: Sendable, Equatable { case list, field, value }

    public enum Phase: Equatable, Sendable {
        case choosing
        case previewing(done: Int, total: Int)
        case preview(BulkPlan.Counts)
    }

    public var records: IndexSet
    public var kind: Kind = .exclude
    public var field = LineEditor()
    public var value = LineEditor()
    public var focus: Focus = .list
    public var phase: Phase = .choosing
    public var generation = 0
    /// The operation being previewed (or previewed), applied on y.
    public var request: BulkRequest?
    /// What is wrong with the field or value typed (shown in the overlay).
    public var error: String?

    public init(records: IndexSet) {
        self.records = records
    }

    /// The focus stops of the chosen kind, in Tab order.
    var stops: [Focus] {
        [.list] + (kind.needsField ? [.field] : []) + (kind.needsValue ? [.value] : [])
    }

    /// The operation the form describes, or what to fix first.
    func operation() -> Result<BulkOperation, BulkInputError> {
        let fieldText = field.text.trimmingCharacters(in: .whitespaces)
        let pointer = JSONPointer(fieldPath: fieldText)
        if kind.needsField, kind != .trim, pointer == nil {
            return .failure(BulkInputError(fieldText.isEmpty ? "type the field: a name (email, address.country) or a JSON pointer (/custom_attributes/tier)"
                                                             : "\(fieldText): not a field (write email, address.country or /address/country)"))
        }
        if kind == .trim, !fieldText.isEmpty, pointer == nil {
            return .failure(BulkInputError("\(fieldText): not a field (leave it empty to trim every string)"))
        }
        switch kind {
        case .exclude: return .success(.exclude)
        case .include: return .success(.include)
        case .delete: return .success(.delete(pointer!))
        case .lowercase: return .success(.lowercase(pointer!))
        case .trim: return .success(.trim(pointer))
        case .set:
            let raw = value.text
            guard !raw.isEmpty else { return .failure(BulkInputError("type the value: JSON (true, 3, \"text\", {…}) or plain text")) }
            return .success(.set(pointer!, (try? JSONParser.parse(Array(raw.utf8))) ?? .string(raw)))
        case .phone:
            let region = value.text.trimmingCharacters(in: .whitespaces).uppercased()
            guard !region.isEmpty else { return .failure(BulkInputError("type the default region of national numbers: a two-letter code such as US, GB, JP")) }
            guard PhoneNumbers.isKnownRegion(region) else { return .failure(BulkInputError("\(region): not a region the phone metadata knows (use a code such as US, GB, JP)")) }
            return .success(.phoneE164(pointer!, region: region))
        }
    }
}

struct BulkInputError: Error, Equatable {
    var text: String
    init(_ text: String) { self.text = text }
}
