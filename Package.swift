// swift-tools-version:6.1
import PackageDescription

/// One list of strict settings, applied to every target.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]
/// Tests import what they exercise; member-import checking there only adds noise.
let testSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "KioskController",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kioskd", targets: ["KioskDaemon"]),
        .executable(name: "kioskctl", targets: ["kioskctl"]),
        .executable(name: "kiosk-sane", targets: ["kiosk-sane"]),
        .executable(name: "kiosk-central", targets: ["kiosk-central"]),
    ],
    // The emulated CCID reader (VirtualCard) is linked into kioskd and kioskctl only when asked
    // for: the demo (scripts/run-kiosk.sh) and the tests build with it, a kiosk without it.
    traits: [
        .trait(
            name: "EmulatedCardReader",
            description: "kioskd and kioskctl can use the emulated card reader (reader = \"virtual\", --reader virtual) for demos and tests")
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Vietnamese/English text shared by every layer.
        .target(name: "Localized", swiftSettings: strict),
        // Who the applicant is (the card holder's data, with its assurance), the CCCD number
        // and civil dates: a leaf the card reader, the flow and the API's clients share.
        .target(name: "CivicIdentity", swiftSettings: strict),
        // Domain: catalog, flow engine, validation, dossier. No I/O beyond reading catalog files.
        .target(
            name: "Flows",
            dependencies: ["Localized", "CivicIdentity", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // libsane, for document scanners (Debian: libsane-dev).
        .systemLibrary(name: "CSane", pkgConfig: "sane-backends", providers: [.apt(["libsane-dev"])]),
        .systemLibrary(name: "CCups", providers: [.apt(["libcups2-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // What the kiosk prints: one layout, rendered with Pango/Cairo to a thermal printer's
        // bitmap (ESC/POS) or to PDF.
        .target(name: "Printing", dependencies: ["Flows", "Localized", "CPangoCairo", "CQREncode"], swiftSettings: strict),
        // libjpeg-turbo and zlib, for compressing scanned pages.
        .systemLibrary(name: "CTurboJPEG", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Page images: PNM in, JPEG/Flate compression within size limits, PDF out, blank detection.
        .target(name: "Imaging", dependencies: ["CTurboJPEG", "CZlib"], swiftSettings: strict),
        // libusb (CCID card readers) and OpenSSL's libcrypto (the card's cryptography).
        .systemLibrary(name: "CUSB", pkgConfig: "libusb-1.0", providers: [.apt(["libusb-1.0-0-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // The chip ID card (CCCD) as an ICAO 9303 eMRTD: APDUs, BAC, secure messaging, the data
        // groups (MRZ, DG13), passive authentication. Independent of how APDUs reach the card.
        .target(name: "CitizenCard", dependencies: ["CCrypto"], swiftSettings: strict),
        // Hardware: the status model every device reports and the scanner protocol.
        // The status model and the notices every device reports: a leaf both the drivers and
        // the API's clients import.
        .target(name: "StatusModel", dependencies: ["Localized"], swiftSettings: strict),
        .target(name: "DeviceModel", dependencies: ["StatusModel", "Localized", "Imaging"], swiftSettings: strict),
        // The SANE scanner driver, in its own module so that the kiosk-sane helper links
        // libsane and nothing of the other drivers (CUPS, libusb, libcrypto).
        .target(name: "SANEDriver", dependencies: ["DeviceModel", "Localized", "Imaging", "CSane"], swiftSettings: strict),
        // Hardware: device protocols and drivers (re-exports DeviceModel and SANEDriver).
        .target(
            name: "Devices", dependencies: ["DeviceModel", "SANEDriver", "Localized", "Imaging", "CitizenCard", "CivicIdentity", "CCups", "CUSB"],
            swiftSettings: strict),
        // An emulated CCID reader holding a virtual CCCD chip (synthetic citizen, SOD signed by
        // a throw-away CA): for tests, benchmarks and demos, beside the real libusb driver.
        .target(name: "VirtualCard", dependencies: ["CitizenCard", "Devices", "Imaging", "CCrypto"], swiftSettings: strict),
        // Durable state: sessions, pages, sealed dossiers, outbox, audit log.
        .target(
            name: "KioskStore",
            dependencies: ["Flows", "Imaging", "Localized", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // The /api/v1 contract: every wire type (requests, screens, live events, reports,
        // errors) and the client kioskctl uses. Built on the domain's value types (Flows) and
        // the status model; links no hardware library.
        .target(
            name: "KioskAPI",
            dependencies: [
                "Localized", "StatusModel", "Flows",
                // kioskctl's client of the technician socket (HTTP/1.1 over a Unix domain socket).
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),
        // The kiosk ↔ central protocol (docs/central-api.yaml): wire types both ends share, the
        // kiosk's Ed25519 identity and RFC 9421 message signatures, through libcrypto.
        .target(name: "CentralProtocol", dependencies: ["Flows", "Localized", "CCrypto"], swiftSettings: strict),
        // The reference central server's parts (enrolment, heartbeats, dossier intake, commands,
        // fleet read-out; SQLite through GRDB), and `kiosk-central`, which runs and administers it.
        .target(
            name: "CentralServer",
            dependencies: [
                "CentralProtocol", "Flows", "Localized",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "kiosk-central",
            dependencies: [
                "CentralServer", "CentralProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "KioskDaemon",
            dependencies: [
                "Flows", "Devices", "CitizenCard", "Imaging", "Printing", "KioskStore", "KioskAPI", "CentralProtocol",
                .target(name: "VirtualCard", condition: .when(traits: ["EmulatedCardReader"])),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Runs libsane in a process of its own, for kioskd (see SANEHelperProtocol.swift).
        .executableTarget(name: "kiosk-sane", dependencies: ["SANEDriver", "DeviceModel", "Imaging"], swiftSettings: strict),
        .executableTarget(
            name: "kioskctl",
            dependencies: [
                "KioskAPI", "Devices", "CitizenCard", "Flows", "Imaging", "Printing", "Localized",
                .target(name: "VirtualCard", condition: .when(traits: ["EmulatedCardReader"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // bench/card_read.sh: APDU count and CPU time of a card read on the virtual chip.
        .executableTarget(
            name: "card-read-bench", dependencies: ["CitizenCard", "Devices", "VirtualCard"], path: "bench/CardRead", swiftSettings: strict),
        // bench/outbox_drain.sh: a kiosk store filled with sealed dossiers waiting in the outbox.
        .executableTarget(
            name: "outbox-seed", dependencies: ["Flows", "Imaging", "KioskStore", "Localized"], path: "bench/OutboxSeed", swiftSettings: strict),
        // Helpers shared by the test targets: running programs, finding built products.
        .target(name: "KioskTestSupport", path: "Tests/KioskTestSupport", swiftSettings: testSettings),
        .testTarget(name: "LocalizedTests", dependencies: ["Localized"], swiftSettings: testSettings),
        .testTarget(
            name: "CitizenCardTests", dependencies: ["CitizenCard", "Devices", "VirtualCard", "KioskTestSupport"], swiftSettings: testSettings),
        .testTarget(name: "FlowsTests", dependencies: ["Flows", "KioskAPI"], swiftSettings: testSettings),
        .testTarget(
            name: "DevicesTests",
            dependencies: ["Devices", "DeviceModel", "SANEDriver", "Imaging", "CitizenCard", "VirtualCard", "KioskTestSupport"],
            swiftSettings: testSettings),
        .testTarget(
            name: "PrintingTests", dependencies: ["Printing", "Flows", "Devices", "Localized", "KioskTestSupport"],
            exclude: ["Reference"], swiftSettings: testSettings),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "KioskTestSupport"], swiftSettings: testSettings),
        .testTarget(
            name: "KioskStoreTests", dependencies: ["KioskStore", "Flows", "Devices", "Imaging", "KioskTestSupport"], swiftSettings: testSettings),
        .testTarget(name: "CentralProtocolTests", dependencies: ["CentralProtocol", "Flows"], swiftSettings: testSettings),
        .testTarget(name: "KioskAPITests", dependencies: ["KioskAPI", "StatusModel", "KioskTestSupport"], swiftSettings: testSettings),
        .testTarget(
            name: "KioskDaemonTests",
            dependencies: [
                "KioskDaemon", "KioskAPI", "KioskStore", "Imaging", "VirtualCard", "KioskTestSupport", "CentralProtocol", "CentralServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "kioskctlTests", dependencies: ["kioskctl", "KioskAPI", "Devices", "CitizenCard", "VirtualCard", "Localized", "KioskTestSupport"],
            swiftSettings: testSettings),
    ],
    swiftLanguageModes: [.v6]
)
