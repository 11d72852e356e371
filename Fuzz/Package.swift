// swift-tools-version:6.1
// Fuzz targets (issue 6): libFuzzer through `swiftc -sanitize=fuzzer,address`. Build and run
// with `bash Fuzz/run.sh [seconds per target]`. Each target's main hands its test function to
// libFuzzer's driver (FuzzDriver).
import PackageDescription

let targets = ["FuzzRecord", "FuzzBlob", "FuzzKeyFile", "FuzzManifest", "FuzzSignVerify", "FuzzAge"]

let package = Package(
    name: "SecuredFuzz",
    dependencies: [.package(name: "secured", path: "..")],
    targets: [.target(name: "FuzzDriver")]
        + targets.map { name in
            .executableTarget(
                name: name,
                dependencies: [
                    "FuzzDriver",
                    .product(name: "SecuredCrypto", package: "secured"),
                    .product(name: "SecuredRecords", package: "secured"),
                ])
        }
)
