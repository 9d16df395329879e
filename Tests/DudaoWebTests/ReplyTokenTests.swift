import Foundation
import Crypto
import Testing
@testable import DudaoCore
@testable import DudaoWeb

struct ReplyTokenTests {
    let key = Data(repeating: 7, count: 32)
    let old = Data(repeating: 9, count: 32)
    let today = CivilDate(iso: "2026-11-30")!
    let token = ReplyToken(agency: "市卫健委", items: ["16", "17"], expires: CivilDate(iso: "2027-01-29")!)

    @Test func aSignedTokenVerifiesUntilItExpires() {
        let text = token.signed(with: SymmetricKey(data: key))
        #expect(ReplyToken.verify(text, keys: [SymmetricKey(data: key)], today: today) == .success(token))
        #expect(ReplyToken.verify(text, keys: [SymmetricKey(data: key)], today: CivilDate(iso: "2027-01-29")!) == .success(token), "the last day works")
        #expect(ReplyToken.verify(text, keys: [SymmetricKey(data: key)], today: CivilDate(iso: "2027-01-30")!) == .failure(.expired))
    }

    @Test func tamperedForeignAndMalformedTokensAreRefused() {
        let text = token.signed(with: SymmetricKey(data: key))
        let parts = text.split(separator: ".").map(String.init)
        // Another agency's name under the same signature.
        let forged = ReplyToken(agency: "市财政局", items: ["16"], expires: token.expires).signed(with: SymmetricKey(data: old))
        let swapped = forged.split(separator: ".")[0] + "." + parts[1]
        #expect(ReplyToken.verify(String(swapped), keys: [SymmetricKey(data: key)], today: today) == .failure(.badSignature))
        #expect(ReplyToken.verify(forged, keys: [SymmetricKey(data: key)], today: today) == .failure(.badSignature), "signed with another key")
        var flipped = Array(text)
        flipped[5] = flipped[5] == "A" ? "B" : "A"
        #expect(ReplyToken.verify(String(flipped), keys: [SymmetricKey(data: key)], today: today) == .failure(.badSignature))
        for bad in ["", ".", "abc", parts[0], "a.b.c", parts[0] + ".!!!", String(repeating: "a", count: 5000) + "." + parts[1]] {
            #expect(ReplyToken.verify(bad, keys: [SymmetricKey(data: key)], today: today) != .success(token), "\(bad.prefix(20))")
        }
    }

    /// The signature's last character carries two unused bits: its three other spellings
    /// decode to the same bytes, and are refused (a credential has one spelling).
    @Test func onlyTheCanonicalSpellingIsAccepted() {
        let text = token.signed(with: SymmetricKey(data: key))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let last = alphabet.firstIndex(of: text.last!)!
        var others = 0
        for unused in 1..<4 {
            let spelling = String(text.dropLast()) + String(alphabet[last ^ unused])
            #expect(ReplyToken.verify(spelling, keys: [SymmetricKey(data: key)], today: today) != .success(token), "\(spelling.suffix(4))")
            others += 1
        }
        #expect(others == 3 && ReplyToken.verify(text, keys: [SymmetricKey(data: key)], today: today) == .success(token))
    }

    /// After a rotation the previous key still verifies the links already sent; new links
    /// are signed with the new key.
    @Test func rotationKeepsThePreviousKeyValid() {
        let sentBefore = token.signed(with: SymmetricKey(data: old))
        let keys = ReplyKeys(current: key, previous: old)
        #expect(ReplyToken.verify(sentBefore, keys: keys.all, today: today) == .success(token))
        let link = ReplyLinks(publicURL: "https://duban.example/", keys: keys).link(agency: "市卫健委", items: ["16"], sent: today)
        #expect(link.hasPrefix("https://duban.example/r/"))
        let fresh = String(link.dropFirst("https://duban.example/r/".count))
        #expect(ReplyToken.verify(fresh, keys: [SymmetricKey(data: key)], today: today).map(\.expires) == .success(today.adding(days: 60)))
        #expect(ReplyToken.verify(fresh, keys: [SymmetricKey(data: old)], today: today) == .failure(.badSignature))
    }

    @Test func keyFilesAreCreatedPrivateAndShortKeysRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("link.key").path
        let created = try ReplyKeys.key(file: file, create: true)
        #expect(created.count >= 32)
        #expect(try ReplyKeys.key(file: file, create: true) == created, "read back, not replaced")
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try Data("short\n".utf8).write(to: dir.appendingPathComponent("short.key"))
        #expect(throws: ReplyKeyError.self) { try ReplyKeys.key(file: dir.appendingPathComponent("short.key").path, create: false) }
        #expect(throws: ReplyKeyError.self) { try ReplyKeys.key(file: dir.appendingPathComponent("none.key").path, create: false) }
    }
}
