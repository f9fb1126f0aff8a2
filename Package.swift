// swift-tools-version:6.1
import PackageDescription

/// Haat: one target per concern (see DESIGN.md and the README's picture). Layers only
/// depend downwards: HaatCore ← HaatStore ← (HaatSQLite, HaatPostgres, HaatContent) ←
/// HaatSite ← HaatServer ← haat; HaatStore imports no database library, and only the
/// command line knows which store it opened. HaatServer also uses Razorpay, which knows
/// nothing of Haat.
let package = Package(
    name: "haat",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "haat", targets: ["haat"]),
        .executable(name: "haat-bench", targets: ["haat-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.1.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.25.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // libcmark (CommonMark reference parser) through pkg-config; safe mode drops raw HTML.
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        // libvips through pkg-config: decoding uploads, cleaning them, responsive variants.
        .systemLibrary(
            name: "CVips",
            pkgConfig: "vips",
            providers: [.apt(["libvips-dev"])]
        ),
        // Images: uploads checked by decoding and cleaned; the site's responsive variants.
        .target(name: "HaatImages", dependencies: ["CVips", "HaatCore"]),
        .target(
            name: "HaatCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The store's protocol, models and rules, and the statements both databases share.
        .target(name: "HaatStore", dependencies: ["HaatCore"]),
        // The default store: one SQLite file through GRDB.
        .target(
            name: "HaatSQLite",
            dependencies: ["HaatCore", "HaatStore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The content channel: profile folders imported, edited from the browser, approved;
        // the media library of their images.
        .target(
            name: "HaatContent",
            dependencies: ["HaatCore", "HaatStore"]
        ),
        .target(
            name: "HaatSite",
            dependencies: [
                "HaatCore",
                "HaatStore",
                // A build imports changed profiles first, and reads their images.
                "HaatContent",
                "HaatDiscovery",
                "HaatImages",
                "CCmark",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "HaatServer",
            dependencies: [
                "HaatCore",
                "HaatStore",
                // Profile editing from the browser, uploads into the media library.
                "HaatContent",
                // Admin rebuilds run the same build as `haat build`.
                "HaatSite",
                // Uploaded portfolio images are checked and cleaned.
                "HaatImages",
                // One-time codes by SMS.
                "SMS",
                // Leads pushed to creators' devices.
                "WebPush",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                // The lead socket: HTTP upgrade and WebSocket framing (HaatServerChannel).
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"), .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"), .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                "Razorpay",
            ],
            // The OpenAPI document of /api/v1, served at /api/v1/openapi.json.
            resources: [.copy("Resources/openapi.json")]
        ),
        // The scale-out store: one PostgreSQL shared by several `haat serve` instances.
        .target(
            name: "HaatPostgres",
            dependencies: [
                "HaatCore",
                "HaatStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Tags, ranking and recommendations: pure Swift, values in and values out.
        .target(
            name: "HaatDiscovery",
            // HaatCore for its parallel map only.
            dependencies: ["HaatCore"],
            resources: [.copy("Resources/tag-vocabulary.txt")]
        ),
        // Razorpay's Orders API and signatures; knows nothing of Haat.
        .target(
            name: "Razorpay",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The loopback stand-in for Razorpay that tests and the demo talk to.
        .target(
            name: "RazorpayFake",
            dependencies: [
                "Razorpay",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            // The stand-in for Checkout's checkout.js that the browser loads.
            resources: [.copy("Resources/checkout.js")]
        ),
        // SMS providers (MSG91, Twilio) behind one protocol; knows nothing of Haat.
        .target(name: "SMS", dependencies: [.product(name: "AsyncHTTPClient", package: "async-http-client")]),
        // Web Push (RFC 8030): VAPID (RFC 8292), message encryption (RFC 8291), the endpoint
        // policy that keeps requests off private networks; knows nothing of Haat.
        .target(
            name: "WebPush",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
        // A push service on loopback and a browser's side of a subscription, for tests and the push benchmark.
        .target(
            name: "WebPushFake",
            dependencies: ["WebPush", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Loopback stand-ins for MSG91 and Twilio, for tests.
        .target(name: "SMSFake", dependencies: [.product(name: "Hummingbird", package: "hummingbird")]),
        .executableTarget(name: "razorpay-fake", dependencies: ["RazorpayFake", .product(name: "Hummingbird", package: "hummingbird")]),
        // Synthetic content for `make bench` (no dependency on the rest of Haat).
        .target(name: "HaatBench"),
        .executableTarget(
            name: "haat",
            dependencies: [
                "HaatCore",
                "HaatStore",
                "HaatSQLite",
                "HaatContent",
                "HaatSite",
                "HaatServer",
                // --db postgres://… (the scale-out store).
                "HaatPostgres",
                // `haat serve --demo` without Razorpay keys: test payments on loopback.
                "RazorpayFake",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The benchmark helpers `make bench` runs: synthetic content, pictures, the
        // notification load, discovery's evaluation.
        .executableTarget(
            name: "haat-bench",
            dependencies: [
                "HaatCore",
                "HaatBench",
                "HaatDiscovery",
                "HaatImages",
                // `haat-bench codes`: the MSG91 stand-in in process, and a client fast enough to load the server.
                "SMSFake",
                // `haat-bench push`: a push service in process, and a browser's side to read what it gets.
                "WebPushFake",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "HaatCoreTests", dependencies: ["HaatCore"]),
        // Image fixtures (camera EXIF with GPS, a decompression bomb) for several test targets.
        .target(name: "ImageFixtures", path: "Tests/ImageFixtures"),
        .testTarget(name: "HaatImagesTests", dependencies: ["HaatImages", "HaatCore", "ImageFixtures"]),
        .testTarget(name: "HaatDiscoveryTests", dependencies: ["HaatDiscovery"]),
        // Each store opened fresh for one test (a temporary SQLite file or a scratch PostgreSQL
        // database), so the store and API suites run on both.
        .target(name: "StoreFixtures", dependencies: [
            "HaatCore", "HaatStore", "HaatSQLite", "HaatPostgres",
            .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/StoreFixtures"),
        // Against a real PostgreSQL: make test starts a throwaway cluster (scripts/with-postgres.sh).
        .testTarget(name: "HaatPostgresTests", dependencies: [
            "HaatPostgres", "HaatStore", "HaatCore", "HaatServer", "StoreFixtures",
            .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
        ]),
        .testTarget(name: "SMSTests", dependencies: [
            "SMS", "SMSFake", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .testTarget(name: "WebPushTests", dependencies: [
            "WebPush", "WebPushFake", .product(name: "Crypto", package: "swift-crypto"), .product(name: "JWTKit", package: "jwt-kit"),
        ]),
        .testTarget(name: "RazorpayTests", dependencies: ["Razorpay", "RazorpayFake", .product(name: "Hummingbird", package: "hummingbird")]),
        // The rules, and the store contract: every test of it runs on both stores.
        .testTarget(name: "HaatStoreTests", dependencies: ["HaatStore", "HaatCore", "HaatPostgres", "StoreFixtures"]),
        .testTarget(name: "HaatSQLiteTests", dependencies: [
            "HaatSQLite", "HaatStore", "HaatContent", "HaatCore", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "HaatContentTests", dependencies: ["HaatContent", "HaatStore", "HaatCore"]),
        .testTarget(name: "HaatSiteTests", dependencies: ["HaatSite", "HaatStore", "HaatSQLite", "HaatContent", "HaatCore", "HaatImages"]),
        // Runs the real `haat` executable: the command line is part of the contract, and two
        // `haat serve` processes on one PostgreSQL are what scale-out runs.
        .testTarget(name: "HaatCLITests", dependencies: [
            "haat", "StoreFixtures",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
        ]),
        .testTarget(
            name: "HaatServerTests",
            dependencies: [
                "HaatServer", "HaatSite", "HaatStore", "HaatContent", "HaatSQLite", "HaatCore", "HaatImages", "ImageFixtures", "StoreFixtures",
                "Razorpay", "RazorpayFake", "SMS", "SMSFake", "WebPush", "WebPushFake", .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ]
)
