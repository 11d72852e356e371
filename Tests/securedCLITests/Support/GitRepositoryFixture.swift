import Foundation
import TestSupport
import Testing

/// The git repository of the tests of the policy, the hooks and the diff driver: a suite that
/// conforms gets `repository()` and `policy(_:_:at:)`.
protocol GitRepositoryFixture {}

extension GitRepositoryFixture {
    /// A repository with a key (secret and public), a private and a public record, a README.
    func repository() throws -> Workspace {
        let ws = try Workspace(keyID: "site")
        try git(["init", "-q", "-b", "main"], ws)
        _ = try ws.write("content/private/a.md", "---\ntitle: \"A\"\n---\nThe private body.\n")
        _ = try ws.write("content/public/b.md", "---\ntitle: \"B\"\n---\nA public body.\n")
        _ = try ws.write("README.md", "# site\n")
        let pub = try secured(["pubkey", ws.keyPath], in: ws.dir)
        #expect(pub.status == 0)
        _ = try ws.write("Keys/site.pub", pub.stdoutText)
        return ws
    }

    /// Writes `text` as the policy of the folder `dir` (the root when empty).
    func policy(_ ws: Workspace, _ text: String, at dir: String = "") throws {
        _ = try ws.write(dir + ".secured.yaml", text)
    }
}
