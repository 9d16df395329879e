import DudaoSecrets

/// A channel that cannot be used as configured.
public enum DeliveryConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The secret's source is empty or unreadable.
    case missingSecret(String)
    /// Anything else, with the reason.
    case invalid(String)

    public var description: String {
        switch self {
        case .missingSecret(let where_): "缺少密钥 secret not available from \(where_)"
        case .invalid(let why): "配置无效 invalid channel configuration: \(why)"
        }
    }

    /// A secret that could not be read, as a channel's problem.
    init(_ error: SecretError) {
        switch error {
        case .missing(let where_): self = .missingSecret(where_)
        }
    }
}
