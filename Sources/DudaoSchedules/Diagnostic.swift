/// One finding of `check` or of loading the Schedules: an error stops `check` (exit 1) and
/// the service's reload; a warning is printed but lets things run.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// How serious it is.
    public enum Severity: String, Hashable, Sendable { case error, warning }

    /// Error or warning.
    public var severity: Severity
    /// Where and what.
    public var problem: ScheduleError

    /// A finding.
    public init(_ severity: Severity, _ problem: ScheduleError) {
        self.severity = severity
        self.problem = problem
    }

    public var description: String { "\(severity == .error ? "错误 error" : "警告 warning"): \(problem)" }
}

/// Findings collected while loading or checking, in the order found.
public struct Diagnostics: Sendable {
    /// All findings.
    public private(set) var list: [Diagnostic] = []
    /// How many of them are errors.
    public private(set) var errorCount = 0

    /// No findings yet.
    public init() {}

    /// Records an error.
    public mutating func error(_ file: String, line: Int? = nil, item: String? = nil, _ message: String) {
        list.append(Diagnostic(.error, ScheduleError(file: file, line: line, item: item, message: message)))
        errorCount += 1
    }

    /// Records a warning.
    public mutating func warning(_ file: String, line: Int? = nil, item: String? = nil, _ message: String) {
        list.append(Diagnostic(.warning, ScheduleError(file: file, line: line, item: item, message: message)))
    }

    /// Records a finding.
    public mutating func record(_ finding: Diagnostic) {
        list.append(finding)
        if finding.severity == .error { errorCount += 1 }
    }

    /// Appends other findings.
    public mutating func append(contentsOf other: Diagnostics) {
        list += other.list
        errorCount += other.errorCount
    }

    /// True when any finding is an error.
    public var hasErrors: Bool { errorCount > 0 }
    /// The errors only.
    public var errors: [Diagnostic] { list.filter { $0.severity == .error } }
    /// The warnings only.
    public var warnings: [Diagnostic] { list.filter { $0.severity == .warning } }
}
