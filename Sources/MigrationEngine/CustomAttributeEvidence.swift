import AuthgearAPI
import MigrationCore

/// Which of the custom attributes a run sent the project defines, learnt from the project itself.
///
/// The client cannot read the project's configuration through the Admin API, and the server drops
/// a custom attribute it does not define without a warning (import spec §7.6), so the journal
/// does not say either. But both the export (`custom_attributes`: "configured attributes only",
/// export spec §8.1) and GraphQL's `customAttributes` carry only attributes the project defines:
/// an attribute any user holds is defined. A sent attribute the user lacks is therefore a
/// mismatch once some user has been seen holding it; until then the record waits here, and an
/// attribute no user holds at the end could not be checked (the project most likely does not
/// define it, or every user lost it since).
struct CustomAttributeEvidence {
    /// Attributes some user in the project was seen holding.
    private(set) var defined: Set<String> = []
    /// Per attribute name, the records that sent it (non-null) to a user lacking it before the
    /// project was known to define it.
    private(set) var waiting: [String: [Int32]] = [:]
    /// Records of `waiting` that were already reported as mismatched for other fields.
    private(set) var alreadyMismatched: Set<Int32> = []
    /// Records whose verdict waits for the end (their other fields all matched).
    private(set) var undecidedRecords: Set<Int32> = []

    /// Learns from a user the project holds.
    mutating func observe(_ user: ProjectUser) {
        for key in user.customAttributes.keys where !defined.contains(key) { defined.insert(key) }
    }

    func isDefined(_ name: String) -> Bool { defined.contains(name) }

    /// Record `k` sent `names` to a user lacking them; `mismatched` when it was reported for other fields.
    mutating func wait(_ k: Int, names: [String], mismatched: Bool) {
        for name in names { waiting[name, default: []].append(Int32(k)) }
        if mismatched { alreadyMismatched.insert(Int32(k)) } else { undecidedRecords.insert(Int32(k)) }
    }

    /// What the end of the verification decides: per record, the attributes it sent that the
    /// project turned out to define (the user lacks them: mismatches), and per attribute never
    /// seen on any user, how many records sent it.
    func decide() -> (missingOnRecord: [Int: [String]], unseen: [String: Int]) {
        var missing: [Int: [String]] = [:]
        var unseen: [String: Int] = [:]
        for (name, records) in waiting {
            if defined.contains(name) {
                for k in records { missing[Int(k), default: []].append(name) }
            } else {
                unseen[name] = records.count
            }
        }
        for k in missing.keys { missing[k]?.sort() }
        return (missing, unseen)
    }

    /// Whether record `k` was already counted as mismatched.
    func wasMismatched(_ k: Int) -> Bool { alreadyMismatched.contains(Int32(k)) }
}
