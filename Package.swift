// swift-tools-version:6.0
import PackageDescription

/// One strictness setting for every target: Swift 6 language mode (the tools version's default) with
/// upcoming features that keep the code honest.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

/// Contract targets: the generator writes `package import`, so their other imports default to internal too.
let contract: [SwiftSetting] = strict + [.enableUpcomingFeature("InternalImportsByDefault")]

let openAPIPlugin: Target.PluginUsage = .plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")

let package = Package(
    name: "SelfScheduling",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "selfsched", targets: ["selfsched"]),
        .executable(name: "plan-routes", targets: ["PlanRoutes"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/vapor/swift-openapi-vapor.git", from: "1.2.0"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/pointfreeco/swift-tagged.git", from: "0.10.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .executableTarget(
            name: "selfsched",
            dependencies: [
                "Platform", "SelfSchedServices", "Station", "Policy", "Identity", "Express", "OSS", "Smoke",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "SelfSchedServices",
            dependencies: ["Platform", "Identity", "Station", "Policy", "Express", "OSS", "Console"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SelfSchedServicesTests",
            dependencies: [
                "SelfSchedServices", "Platform",
                .product(name: "VaporTesting", package: "vapor"), .product(name: "Fluent", package: "fluent"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Vocabulary",
            dependencies: [.product(name: "Tagged", package: "swift-tagged")],
            swiftSettings: strict
        ),
        .target(
            name: "Analytics",
            dependencies: ["Vocabulary", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "ExpressDomain",
            dependencies: ["Vocabulary", .product(name: "Tagged", package: "swift-tagged")],
            swiftSettings: strict
        ),
        .target(
            name: "OSSDomain",
            dependencies: ["Vocabulary", "Secrets"],
            swiftSettings: strict
        ),
        .target(
            name: "StationDomain",
            dependencies: ["Vocabulary", "Secrets", .product(name: "Tagged", package: "swift-tagged")],
            swiftSettings: strict
        ),
        .target(
            name: "IdentityDomain",
            dependencies: [
                "Vocabulary", "Secrets", .product(name: "Tagged", package: "swift-tagged"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DispatchPlanning",
            resources: [.copy("Resources/zip-centroids.csv")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "PlanRoutes",
            dependencies: ["DispatchPlanning", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DispatchPlanningTests",
            dependencies: ["DispatchPlanning"],
            swiftSettings: strict
        ),
        .target(
            name: "PolicyDomain",
            dependencies: ["Vocabulary"],
            swiftSettings: strict
        ),
        .target(
            name: "Secrets",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "Platform",
            dependencies: [
                "Analytics", "Secrets", "Vocabulary",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [.copy("Resources/design.css"), .copy("Resources/live.js")],
            swiftSettings: strict
        ),
        .target(
            name: "ExpressInternalAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            resources: [.copy("openapi.yaml")],
            swiftSettings: contract,
            plugins: [openAPIPlugin]
        ),
        .target(
            name: "IdentityManagementAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            resources: [.copy("openapi.yaml")],
            swiftSettings: contract,
            plugins: [openAPIPlugin]
        ),
        .target(
            name: "OSSAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            resources: [.copy("openapi.yaml")],
            swiftSettings: contract,
            plugins: [openAPIPlugin]
        ),
        .target(
            name: "ExpressPartnerAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            resources: [.copy("openapi.yaml")],
            swiftSettings: contract,
            plugins: [openAPIPlugin]
        ),
        .target(
            name: "Identity",
            dependencies: [
                "Platform", "IdentityDomain", "Vocabulary", "ExpressInternalAPI", "IdentityManagementAPI",
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
                .product(name: "JWTKit", package: "jwt-kit"), .product(name: "Leaf", package: "leaf"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
            ],
            resources: [
                .copy("Resources/Views"), .copy("Resources/identity.css"),
                .copy("Resources/common-passwords.txt"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Express",
            dependencies: [
                "ExpressDomain", "Platform", "Vocabulary", "StationAPI", "OSSAPI", "ExpressInternalAPI",
                "ExpressPartnerAPI", "IdentityManagementAPI",
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "Leaf", package: "leaf"),
            ],
            resources: [.copy("Resources/Views")],
            swiftSettings: strict
        ),
        .target(
            name: "ConsoleDomain",
            dependencies: ["Vocabulary", .product(name: "Tagged", package: "swift-tagged")],
            swiftSettings: strict
        ),
        .target(
            name: "Console",
            dependencies: [
                "ConsoleDomain", "Platform", "Vocabulary", "StationAPI", "PolicyAPI", "ExpressInternalAPI",
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "Leaf", package: "leaf"),
            ],
            resources: [.copy("Resources/Views")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConsoleTests",
            dependencies: [
                "Console", "ConsoleDomain", "Platform", "TestSupport", "Vocabulary", "StationAPI", "Station",
                "ExpressInternalAPI",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "OSS",
            dependencies: [
                "Platform", "OSSDomain", "StationAPI", "OSSAPI", "PolicyAPI", "ExpressInternalAPI", "Vocabulary",
                .product(name: "Tagged", package: "swift-tagged"),
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "Leaf", package: "leaf"),
            ],
            resources: [.copy("Resources/Views"), .copy("Resources/oss.css")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "OSSTests",
            dependencies: [
                "OSS", "OSSDomain", "Platform", "TestSupport", "Vocabulary", "StationAPI",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            resources: [.copy("Resources/Snapshots")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ExpressTests",
            dependencies: [
                "Express", "ExpressDomain", "Platform", "TestSupport", "Vocabulary",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            resources: [.copy("Resources/Snapshots")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "IdentityTests",
            dependencies: [
                "Identity", "IdentityDomain", "Vocabulary", "Platform", "TestSupport",
                .product(name: "VaporTesting", package: "vapor"),
                // RSA keys made in the tests, as an EHR makes its own.
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/Snapshots")],
            swiftSettings: strict
        ),
        .target(
            name: "StationAPI",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")
            ],
            resources: [.copy("openapi.yaml")],
            swiftSettings: contract,
            plugins: [openAPIPlugin]
        ),
        .target(
            name: "Station",
            dependencies: [
                "Platform", "StationDomain", "Vocabulary", "StationAPI", "DispatchPlanning",
                .product(name: "Tagged", package: "swift-tagged"),
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Smoke",
            dependencies: [.product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: strict
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "Platform",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .target(
            name: "PolicyAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            resources: [.copy("openapi.yaml")],
            swiftSettings: contract,
            plugins: [openAPIPlugin]
        ),
        .target(
            name: "Policy",
            dependencies: [
                "Platform", "PolicyDomain", "Vocabulary", "PolicyAPI",
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PolicyTests",
            dependencies: [
                "Policy", "PolicyDomain", "Vocabulary", "PolicyAPI", "TestSupport",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            resources: [.copy("Resources/Snapshots")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Identity", "Station", "Policy", "Platform", "TestSupport", "Express", "ExpressDomain", "Vocabulary",
                "OSS", "OSSDomain",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AnalyticsTests",
            dependencies: ["Analytics"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PlatformTests",
            dependencies: ["Platform", "TestSupport", .product(name: "VaporTesting", package: "vapor")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "StationTests",
            dependencies: [
                "Station", "StationDomain", "Vocabulary", "Platform", "StationAPI", "TestSupport",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
            ],
            resources: [.copy("Resources/Snapshots")],
            swiftSettings: strict
        ),
    ]
)
