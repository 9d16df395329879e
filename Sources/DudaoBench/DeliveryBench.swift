import Foundation
import DudaoSecrets
import DudaoDelivery
import DudaoMessages

/// Sends `count` copies of one email to an SMTP sink, or `count` webhooks to an HTTP sink,
/// over `connections` parallel connections, and prints one JSON line with the rate.
/// Driven by Benchmarks/delivery_bench.py, which runs the other contenders the same way.
func deliveryBench(_ args: [String]) {
    func value(_ name: String) -> String? { args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
    let count = Int(value("--count") ?? "1000")!
    let connections = Int(value("--connections") ?? "4")!
    var outcomes: [DeliveryOutcome] = []
    let start = DispatchTime.now().uptimeNanoseconds
    if let url = value("--smtp"), let file = value("--eml") {
        let eml = try! String(contentsOfFile: file, encoding: .utf8)
        let transport = SMTPTransport(SMTPConfiguration(url: url, startTLS: .off, from: Mailbox(address: "duchashi@zhengzhou.example"),
                                                        maxConnections: connections))
        outcomes = transport.send(batch: Array(repeating: (eml, ["scjgj@zhengzhou.example"]), count: count))
    } else if let url = value("--webhook"), let file = value("--body") {
        let body = try! String(contentsOfFile: file, encoding: .utf8)
        let transport = WebhookTransport(WebhookConfiguration(name: "bench", flavour: .json, url: Secret(url),
                                                              secret: Secret("whsec_" + Data("bench-secret-0123456789".utf8).base64EncodedString()), perMinute: 1_000_000))
        outcomes = transport.post(batch: (0..<count).map { (body, "msg_\($0)") }, connections: connections)
    } else {
        print("usage: DudaoBench delivery (--smtp URL --eml FILE | --webhook URL --body FILE) [--count N] [--connections C]")
        exit(2)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let ok = outcomes.filter(\.isDelivered).count
    let failure = outcomes.first { !$0.isDelivered }.map { "\($0)" } ?? ""
    print("{\"sent\": \(ok), \"failed\": \(count - ok), \"seconds\": \(seconds), \"rate\": \(Double(ok) / seconds), \"first_failure\": \"\(failure.replacingOccurrences(of: "\"", with: "'"))\"}")
}
