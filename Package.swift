// swift-tools-version:6.0
import Foundation
import PackageDescription

// `make test` builds the simulated year in release with DUDAO_SERVICE_ONLY=1: the service's
// rooms and their tests, without the console, the PostgreSQL store and the command line, so
// NIO is not compiled a second time. Every other build has every target.
let serviceOnly = ProcessInfo.processInfo.environment["DUDAO_SERVICE_ONLY"] != nil

// Rooms of DESIGN.md's data flow, one target each; a target imports only the rooms before it.
let package = Package(
    name: "Dudao",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dudao", targets: ["dudao"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/drmohundro/SWXMLHash", from: "8.1.1"),
    ],
    targets: [
        // Pure domain: items, deadlines and their grammar, working days, policy, planner. Foundation only.
        .target(name: "DudaoCore"),
        // Secrets: read from the environment, a file or a systemd credential, printed as ***. Foundation only;
        // channels, the console's link key and the PostgreSQL store's password all come here.
        .target(name: "DudaoSecrets"),
        // Schedules on disk: YAML task lists, agencies, policy, calendar; what the office keeps in the store, as read; `check`.
        .target(name: "DudaoSchedules", dependencies: ["DudaoCore", "DudaoSecrets", "CLibYAML"]),
        // Importing the lists cities publish (the raw text, TSV/CSV, .xlsx, .docx, web pages) into task lists,
        // with bounded readers for untrusted files: used by `dudao import` and the console's upload.
        .target(
            name: "DudaoImport",
            dependencies: ["DudaoCore", "DudaoSchedules",
                           // Office files: the archive and its small XML parts (worksheets and documents are read with XMLParser).
                           .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                           .product(name: "SWXMLHash", package: "SWXMLHash")]
        ),
        // glibc's malloc_trim: the idle service gives back what a wake freed.
        .systemLibrary(name: "CMalloc"),
        // libyaml's event parser: Schedules are read event by event (see YAMLDocument).
        .systemLibrary(name: "CLibYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // Messages: Mustache templates, MIME email (RFC 5322/2047/2045), chat payloads, .ics, and the office's .xlsx.
        .target(
            name: "DudaoMessages",
            dependencies: ["DudaoCore", .product(name: "Mustache", package: "swift-mustache"),
                           // The office's documents as Office Open XML (the 台账 as .xlsx).
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        // libcurl, with typed shims for its variadic setopt/getinfo.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // Delivery: one file per channel (email, chat robots, SMS platforms, the outbox folder) owning its settings from
        // channels.yaml (read with Schedules' located YAML), its stored payload and its outcome rules;
        // libcurl transports, circuit breakers, rate limits.
        .target(
            name: "DudaoDelivery",
            dependencies: ["DudaoCore", "DudaoSecrets", "DudaoSchedules", "DudaoMessages", "CCurl", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // State: statuses with their history, the sent log, the outbox; versioned migrations over one
        // SQL backend protocol; SQLite via GRDB, the embedded default.
        // The audit trail's hash chain uses swift-crypto's SHA-256.
        // What the office owns (lists, agencies) is handed to Schedules as Schedules reads it.
        .target(name: "DudaoStore", dependencies: ["DudaoCore", "DudaoSchedules", .product(name: "GRDB", package: "GRDB.swift"),
                                                   .product(name: "Crypto", package: "swift-crypto")]),
        // The same state on PostgreSQL (postgres-nio), for two machines sharing one database.
        .target(name: "DudaoStorePostgres", dependencies: ["DudaoStore", "DudaoSecrets", .product(name: "PostgresNIO", package: "postgres-nio"),
                                                           .product(name: "NIOSSL", package: "swift-nio-ssl"),
                                                           .product(name: "NIOPosix", package: "swift-nio"),
                                                           .product(name: "NIOCore", package: "swift-nio"),
                                                           .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                                                           .product(name: "Logging", package: "swift-log")]),
        // The console: the agencies' signed reply links and pages, over Hummingbird, in the service's process.
        // It sends nothing itself, so it does not import delivery.
        .target(
            name: "DudaoWeb",
            dependencies: ["DudaoCore", "DudaoSecrets", "DudaoSchedules", "DudaoImport", "DudaoMessages", "DudaoStore",
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           // HTTP1Channel's idle timeout and channel handlers (the connection cap, request deadlines).
                           .product(name: "HummingbirdCore", package: "hummingbird"),
                           .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                           .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                           .product(name: "MultipartKit", package: "multipart-kit")]
        ),
        // The service: one wake cycle (plan, catch up, enqueue, deliver, record), the timer loop, signals, sd_notify.
        .target(
            name: "DudaoService",
            dependencies: ["DudaoCore", "DudaoSchedules", "DudaoMessages", "DudaoDelivery", "DudaoStore", "CMalloc",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "Metrics", package: "swift-metrics"),
                           .product(name: "Prometheus", package: "swift-prometheus")]
        ),
        // The command line: thin ArgumentParser commands over the library.
        .executableTarget(
            name: "dudao",
            dependencies: [
                "DudaoCore", "DudaoSchedules", "DudaoImport", "DudaoMessages", "DudaoDelivery", "DudaoStore", "DudaoStorePostgres", "DudaoWeb", "DudaoService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `make bench`: the planner over 100,000 items; delivery rates against local sinks.
        .executableTarget(name: "DudaoBench", dependencies: ["DudaoCore", "DudaoSecrets", "DudaoMessages", "DudaoDelivery"]),
        // `make fuzz`: libFuzzer targets for the importer, the deadline grammar, the schedule loader and the MIME encoder.
        .executableTarget(name: "DudaoFuzz", dependencies: ["DudaoCore", "DudaoSchedules", "DudaoImport", "DudaoMessages"]),
        // Plumbing shared by the tests (child processes, Python, free ports); not shipped.
        .target(name: "DudaoTestSupport", path: "Tests/DudaoTestSupport"),
        .testTarget(name: "DudaoCoreTests", dependencies: ["DudaoCore"]),
        .testTarget(name: "DudaoSchedulesTests", dependencies: ["DudaoCore", "DudaoSchedules", "DudaoImport", "DudaoTestSupport",
                                                              .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "DudaoMessagesTests", dependencies: ["DudaoCore", "DudaoMessages", "DudaoTestSupport"]),
        .testTarget(name: "DudaoStoreTests", dependencies: ["DudaoCore", "DudaoSchedules", "DudaoStore", "DudaoStorePostgres", "DudaoTestSupport"]),
        .testTarget(name: "DudaoServiceTests", dependencies: ["DudaoService", "DudaoTestSupport"]),
        .testTarget(name: "DudaoWebTests", dependencies: ["DudaoCore", "DudaoSchedules", "DudaoMessages", "DudaoStore", "DudaoStorePostgres", "DudaoWeb", "DudaoTestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "DudaoDeliveryTests", dependencies: ["DudaoCore", "DudaoSecrets", "DudaoMessages", "DudaoDelivery", "DudaoTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

if serviceOnly {
    let console: Set<String> = ["DudaoWeb", "DudaoWebTests", "dudao", "DudaoStorePostgres", "DudaoStoreTests"]
    package.targets.removeAll { console.contains($0.name) }
    package.products.removeAll { $0.name == "dudao" }
} else {
    // Only the console and the PostgreSQL store use these.
    package.dependencies += [
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ]
}
