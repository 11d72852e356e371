// swift-tools-version:6.1
// Fuzz targets (issue 6): libFuzzer through `swiftc -sanitize=fuzzer,address`. Build and run
// with `bash Fuzz/run.sh [seconds per target]`. Each target's main hands libFuzzer's driver
// its LLVMFuzzerTestOneInput function.
import PackageDescription

let targets = ["FuzzRecord", "FuzzBlob", "FuzzKeyFile", "FuzzManifest", "FuzzSignVerify"]

let package = Package(
    name: "SecuredFuzz",
    dependencies: [.package(name: "secured", path: "..")],
    targets: targets.map { name in
        .executableTarget(
            name: name,
            dependencies: [
                .product(name: "SecuredCrypto", package: "secured"),
                .product(name: "SecuredRecords", package: "secured"),
            ])
    }
)
