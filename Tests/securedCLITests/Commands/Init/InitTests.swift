import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// `secured init`: the starter policy works as written and is never written over.
@Suite("init: a commented policy, written once", .serialized)
struct InitTests: GitRepositoryFixture {
    @Test func initWritesACommentedPolicyOnce() throws {
        let ws = try repository()
        let r = try secured(["init"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        let text = try ws.read(".secured.yaml")
        #expect(text.contains("require-secured:") && text.contains("# "))
        // It works as written: signatures are required, so with no key the audit refuses to
        // run (exit 2, SPEC 1.2 section 8); with the public key it finds the unsigned records.
        let audit = try secured(["audit", "."], in: ws.dir)
        #expect(audit.status == 2 && audit.stderrText.contains("signatures are required (.secured.yaml:"))
        let keyed = try secured(["audit", ".", "--key", "Keys/site.pub"], in: ws.dir)
        #expect(keyed.status == 1 && keyed.stderrText.contains("SR008"), "require-signature: true")
        _ = try ws.write(".secured.yaml", "# mine\n")
        let again = try secured(["init"], in: ws.dir)
        #expect(again.status == 1 && again.stderrText.contains("already exists"))
        #expect(try ws.read(".secured.yaml") == "# mine\n")
    }

    @Test func initOnARegularFileIsAUsageError() throws {
        // As found: exit 1, "cannot create a temporary file in afile".
        let ws = try Workspace()
        _ = try ws.write("afile", "x\n")
        let r = try secured(["init", "afile"], in: ws.dir)
        #expect(r.status == 2, "\(r.stderrText)")
        #expect(r.stderrText.contains("afile is not a folder"))
        #expect(try ws.read("afile") == "x\n")
    }
}
