import MigrationCore

extension SandboxState {
    /// Runs one GraphQL operation as one transaction (spec §11): deletions are committed only
    /// when the response has no `errors`; any error rolls the whole request back.
    func executeGraphQL(_ document: GraphQLDocument, operation: GraphQLOperation, variables: [String: JSONValue]) -> JSONValue {
        var executor = GraphQLExecutor(document: document, store: users, project: project, now: now.date, variables: variables)
        let data = executor.execute(operation)
        let errors = executor.errors
        let deleted = executor.deleted
        // The executor's snapshot must be gone before the commit, or removing would copy the store.
        executor = GraphQLExecutor(document: document, store: UserStore(), project: project, now: now.date, variables: [:])
        if errors.isEmpty, !deleted.isEmpty {
            users.remove(ids: deleted)
        }
        return GraphQLAPI.response(data: data ?? .null, errors: errors)
    }
}
