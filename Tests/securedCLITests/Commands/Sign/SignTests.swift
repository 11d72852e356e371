import Foundation
import TestSupport
import Testing

/// `secured sign` signs only records whose `secured` value a reader opens: an anchor, a tag or a
/// trailing comment (SR004) is refused, so `verify` never calls an unopenable record valid.
@Suite("sign: refuses a record no reader would open")
struct SignTests {
    @Test(arguments: ["&a \"BLOB\"", "!!str \"BLOB\"", "\"BLOB\" # c"])
    func signRefusesASecuredValueThatIsNotLiteral(_ spelling: String) throws {
        let ws = try Workspace()
        _ = try ws.write("a.md", "---\ntitle: a\n---\nbody\n")
        #expect(try secured(["seal", "a.md", "--key", ws.keyPath, "--no-sign"], in: ws.dir).status == 0)
        let sealed = try ws.read("a.md")
        let blob = sealed.split(separator: "\"")[1]
        let odd = sealed.replacingOccurrences(
            of: "\"\(blob)\"", with: spelling.replacingOccurrences(of: "BLOB", with: String(blob)))
        _ = try ws.write("a.md", odd)
        let r = try secured(["sign", "a.md", "--key", ws.keyPath], in: ws.dir)
        #expect(r.status == 1, "\(spelling): \(r.stderrText)")
        #expect(r.stderrText.contains("SR004"), "\(r.stderrText)")
        #expect(try ws.read("a.md") == odd, "nothing written")
    }
}
