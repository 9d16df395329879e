/// What a 完成时间 cell means: zero or more dated milestones, and whether the work is ongoing.
///
/// The raw text is kept alongside, because agencies recognise the wording of their list,
/// not our interpretation of it.
public struct Deadline: Hashable, Sendable {
    /// The cell as written.
    public var text: String
    /// Dated milestones, in the order written; each is reminded on its own.
    public var milestones: [MilestoneDue]
    /// True for 持续推进 / 长期坚持 / 常态化 …: no due date, periodic progress requests.
    public var ongoing: Bool

    /// A deadline from its parts.
    public init(text: String, milestones: [MilestoneDue], ongoing: Bool) {
        self.text = text
        self.milestones = milestones
        self.ongoing = ongoing
    }
}

/// One dated clause of a deadline: due at the end of `due` (23:59:59 local time).
public struct MilestoneDue: Hashable, Sendable {
    /// The last day of the period the text names.
    public var due: CivilDate
    /// For windows (`2024年3月—6月`), the first day; `nil` otherwise.
    public var start: CivilDate?
    /// The clause as written (the whole cell when it has one clause).
    public var text: String

    /// A milestone from its parts.
    public init(due: CivilDate, start: CivilDate? = nil, text: String) {
        self.due = due
        self.start = start
        self.text = text
    }
}

/// A deadline text that could not be understood, with the reason in operator's words.
public struct DeadlineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The whole cell as written.
    public var text: String
    /// Why it failed (bilingual: 中文 / English).
    public var reason: String

    /// An error for `text`.
    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { "无法识别的完成时间 unrecognised deadline “\(text)”: \(reason)" }
}
