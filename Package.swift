// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "secured",
    products: [
        .library(name: "SecuredCrypto", targets: ["SecuredCrypto"]),
        .library(name: "SecuredRecords", targets: ["SecuredRecords"]),
        .executable(name: "secured", targets: ["secured"]),
    ],
    // No package dependencies: swift-argument-parser 1.8.2 is vendored in
    // Vendor/swift-argument-parser (see its README.md for why, and the patch).
    dependencies: [],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "SecuredCrypto",
            dependencies: ["COpenSSL"]
        ),
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "SecuredRecords",
            dependencies: ["SecuredCrypto", "CYAML", "CZlib"]
        ),
        .executableTarget(
            name: "secured",
            dependencies: [
                "SecuredRecords",
                "SecuredCrypto",
                "ArgumentParser",
                "JSONText",
            ],
            plugins: ["BuildCommit"]
        ),
        .target(name: "JSONText"),
        .target(
            name: "ArgumentParserToolInfo",
            path: "Vendor/swift-argument-parser/Sources/ArgumentParserToolInfo"
        ),
        .target(
            name: "ArgumentParser",
            dependencies: ["ArgumentParserToolInfo", "JSONText"],
            path: "Vendor/swift-argument-parser/Sources/ArgumentParser"
        ),
        // The man page tool Scripts/release.sh runs (swift-argument-parser's generate-manual).
        .executableTarget(
            name: "generate-manual",
            dependencies: ["ArgumentParser", "ArgumentParserToolInfo"],
            path: "Vendor/swift-argument-parser/Tools/generate-manual"
        ),
        .plugin(
            name: "BuildCommit",
            capability: .buildTool()
        ),
        .target(
            name: "TestSupport",
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "SecuredCryptoTests",
            dependencies: ["SecuredCrypto", "TestSupport"],
            exclude: ["Vectors"]
        ),
        .testTarget(
            name: "SecuredRecordsTests",
            dependencies: ["SecuredRecords", "SecuredCrypto", "TestSupport"],
            exclude: ["Fixtures", "Interop"]
        ),
        .testTarget(
            name: "securedCLITests",
            dependencies: ["secured", "SecuredRecords", "SecuredCrypto", "JSONText", "TestSupport"],
            exclude: ["Support/Action", "Support/Git", "Support/Passphrase"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
