// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "secured",
    products: [
        .library(name: "SecuredCrypto", targets: ["SecuredCrypto"]),
        .library(name: "SecuredRecords", targets: ["SecuredRecords"]),
        .executable(name: "secured", targets: ["secured"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
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
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["BuildCommit"]
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
            dependencies: ["secured", "SecuredRecords", "SecuredCrypto", "TestSupport"],
            exclude: ["Action", "Git", "Passphrase"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
