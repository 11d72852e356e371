import Foundation
import SecuredCrypto
import SecuredRecords

/// The manifest parser and checker on arbitrary bytes, against an empty corpus folder.
///
/// Properties: never crashes; every finding is SR018 or SR019 and names the manifest or a
/// path under the root.
let root: String = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secured-fuzz-manifest-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
}()
let ring = try! KeyRing([SecuredKey.generate(id: "fuzz")])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = root + "/MANIFEST.sha256"
    FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
    let (findings, _, _) = Manifest.check(manifest: path, root: root, keys: ring)
    for finding in findings {
        precondition(
            finding.code == .sr018ManifestMismatch || finding.code == .sr019ManifestSignature,
            "unexpected finding \(finding.code)")
    }
    return 0
}
