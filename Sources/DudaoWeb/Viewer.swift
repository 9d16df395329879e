import DudaoCore
import DudaoMessages

/// Who is looking at an office page: their name, their session's form token and their
/// role, which decides what the page header offers (a link a role may not follow is not shown;
/// the route refuses it anyway).
public struct Viewer: Sendable {
    public var user: String
    public var csrf: String
    public var role: Role

    public init(user: String, csrf: String, role: Role) {
        self.user = user
        self.csrf = csrf
        self.role = role
    }

    /// What every office page's header reads.
    var values: [String: Any] {
        ["user": user, "csrf": csrf, "role_name": Labels.role(role), "may_clerk": role >= .clerk, "may_admin": role >= .admin]
    }
}

extension TemplateSet {
    /// An office page with the viewer's header.
    func renderPage(_ name: String, _ viewer: Viewer, _ values: [String: Any]) -> String? {
        renderPage(name, values.merging(viewer.values) { page, _ in page })
    }
}
