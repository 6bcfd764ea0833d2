/// An error a command can end with, carrying the exit status it means (the README's "Exit
/// status" table). Each error type says its status where it is declared; the commands turn any
/// error into a status in one place (`runReportingErrors`). Almost all are 2, "the command could
/// not run"; a run that ended with records without an outcome is 1.
public protocol CommandFailure: Error, CustomStringConvertible {
    var exitStatus: Int32 { get }
}

extension CommandFailure {
    public var exitStatus: Int32 { 2 }
}

extension SourceError: CommandFailure {}
