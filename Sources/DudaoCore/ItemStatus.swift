/// Where a piece of work stands for one lead agency — the states of the supervision loop.
///
/// An agency (or the operator typing for it) reports: `in_progress`, `reported`,
/// `done_reported`, `extension_requested`. The office decides: `done` (销号), `extended`,
/// `refused`, `cancelled`, or `open` (returned). Done and cancelled work gets no more
/// reminders; extended work is replanned against its new date.
public enum ItemStatus: Hashable, Sendable {
    case open
    case inProgress
    case reported
    case doneReported
    case done
    case extensionRequested(to: CivilDate)
    case extended(to: CivilDate)
    case refused
    case cancelled

    /// Every status word, as files, the store and the command line write it.
    public static let names = ["open", "in_progress", "reported", "done_reported", "done",
                               "extension_requested", "extended", "refused", "cancelled"]

    /// The status a word names; `extended` and `extension_requested` need the date (`nil`
    /// without one, as for an unknown word).
    public init?(name: String, extendedTo: CivilDate? = nil) {
        switch name {
        case "open": self = .open
        case "in_progress": self = .inProgress
        case "reported": self = .reported
        case "done_reported": self = .doneReported
        case "done": self = .done
        case "refused": self = .refused
        case "cancelled": self = .cancelled
        case "extended", "extension_requested":
            guard let extendedTo else { return nil }
            self = name == "extended" ? .extended(to: extendedTo) : .extensionRequested(to: extendedTo)
        default: return nil
        }
    }

    /// The new due date of extended work, or the date asked for.
    public var extendedTo: CivilDate? {
        switch self {
        case .extended(let to), .extensionRequested(let to): to
        default: nil
        }
    }

    /// The word used in files and on the command line.
    public var name: String {
        switch self {
        case .open: "open"
        case .inProgress: "in_progress"
        case .reported: "reported"
        case .doneReported: "done_reported"
        case .done: "done"
        case .extensionRequested: "extension_requested"
        case .extended: "extended"
        case .refused: "refused"
        case .cancelled: "cancelled"
        }
    }

    /// False for done and cancelled work.
    public var wantsReminders: Bool {
        switch self {
        case .done, .cancelled: false
        default: true
        }
    }

    /// Done or cancelled: stands until a report at least as specific replaces it.
    public var isFinal: Bool { !wantsReminders }

    /// A state the office decides (done, extended, refused, cancelled, or open when a done
    /// report is returned); told to the agency when recorded as a report. Its words are
    /// `Labels.decision`.
    public var isDecision: Bool {
        switch self {
        case .done, .open, .extended, .refused, .cancelled: true
        default: false
        }
    }

    /// A state the agency reports (an answer), as opposed to the office's decision.
    public var isAgencyReport: Bool {
        switch self {
        case .inProgress, .reported, .doneReported, .extensionRequested: true
        default: false
        }
    }
}
