extension RecordFastPath {
    /// The warnings this path can give, built once with `RecordValidator`'s wording.
    struct Warnings: Sendable {
        // One-element lists, so that a record's only warning shares the list instead of allocating one.
        let insertFalse: [[Issue]]
        let insertVerifiedAbsent: [[Issue]]
        let upsertVerifiedAbsent: [[Issue]]
        let disabledFalse: [Issue]

        init() {
            let flags = [("email_verified", "email"), ("phone_number_verified", "phone_number")]
            insertFalse = flags.map { [.warning("/" + $0.0, rule: "insert.false_no_effect", "\($0.0) = false has no effect in insert.")] }
            insertVerifiedAbsent = flags.map {
                [.warning("/" + $0.0, rule: "insert.verified_without_login_id", "\($0.0) = true has no effect when \($0.1) is absent.")]
            }
            upsertVerifiedAbsent = flags.map {
                [.warning("/" + $0.0, rule: "upsert.verified_without_login_id", "\($0.0) has no effect when \($0.1) is absent.")]
            }
            disabledFalse = [.warning("/disabled", rule: "insert.false_no_effect", "disabled = false has no effect in insert.")]
        }
    }
}
