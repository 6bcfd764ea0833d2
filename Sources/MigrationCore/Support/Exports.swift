// MigrationCore's records are JSON values: whoever reads records gets the JSON module with them.
@_exported import JSON
