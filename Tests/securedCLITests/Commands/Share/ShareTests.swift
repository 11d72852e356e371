import Foundation
import TestSupport
import Testing

/// `secured share` given a file that is not a secret key exits 2, not 1. Passphrase and team
/// copies are in Workflows/; a share never writes over its own key: Contracts/KeyFileTests.swift.
@Suite("share: a key file that cannot be used is a configuration error")
struct ShareTests {
    @Test func aFileThatIsNotASecretKeyExitsTwo() throws {
        let ws = try Workspace()
        _ = try ws.write("not-a.key", "untrusted comment: secured passphrase key x y\nnope\n")
        for extra in [["--read-only"], ["-r", "age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq"]] {
            let r = try secured(["share", "not-a.key", "--out", "out.key"] + extra, in: ws.dir)
            #expect(r.status == 2, "\(extra): \(r.stderrText)")
            #expect(r.stderrText.contains("not a secret key file"), "\(r.stderrText)")
            #expect(!FileManager.default.fileExists(atPath: ws.dir.appendingPathComponent("out.key").path))
        }
    }
}
