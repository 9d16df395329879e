import Foundation
import HummingbirdBcrypt
import DudaoStore

/// The office's logins: bcrypt hashes in the state store, checked off the request threads
/// (a bcrypt check takes tens of milliseconds on purpose).
public struct OfficeAccounts: Sendable {
    let store: StateStore
    /// bcrypt's cost; each step doubles the work.
    static let cost: UInt8 = 11
    /// Longest password accepted (bcrypt reads 72 bytes; longer ones are refused, not cut).
    public static let maxPasswordBytes = 72
    /// Login names: letters, digits, `._-` and Chinese, at most 64 characters.
    public static func validName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)
        }
    }

    /// Accounts kept in `store`.
    public init(store: StateStore) { self.store = store }

    /// The bcrypt hash of `password`.
    public static func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }

    /// True when `name` exists and `password` is its password. Runs on a background queue.
    func verify(name: String, password: String) async -> Bool {
        guard password.utf8.count <= Self.maxPasswordBytes, let account = try? store.account(name: name) else {
            // Spend the same time whether or not the name exists.
            _ = await Self.offThread { Bcrypt.verify(password, hash: Self.decoy) }
            return false
        }
        return await Self.offThread { Bcrypt.verify(password, hash: account.passwordHash) }
    }

    /// The account `name` with its role, if it exists (read on every request: a new role or
    /// a removal takes effect at once).
    func account(_ name: String) -> Account? { (try? store.account(name: name)) ?? nil }

    private static let decoy = Bcrypt.hash("decoy", cost: cost)
    private static let queue = DispatchQueue(label: "dudao.bcrypt", attributes: .concurrent)

    private static func offThread(_ work: @escaping @Sendable () -> Bool) async -> Bool {
        await withCheckedContinuation { c in queue.async { c.resume(returning: work()) } }
    }
}
