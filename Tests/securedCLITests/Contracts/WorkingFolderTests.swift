import Foundation
import TestSupport
import Testing

/// Relative paths start from the folder secured runs in. Where that folder's path cannot be
/// known (deleted after the shell entered it) or is too long to open files by, secured says
/// so and exits 2: `.` never becomes `/`. Usage errors are said even under `--quiet`.
@Suite("The working folder: deleted, too long, and usage errors under --quiet")
struct WorkingFolderTests {
    /// Runs `script` in bash in `dir`, with `$1` the secured binary.
    func bash(_ script: String, in dir: URL) throws -> ProcessResult {
        try runProcess(
            "bash", ["-c", script, "bash", securedBinary], removing: ["SECURED_KEY", "SECURED_PASSPHRASE"],
            currentDirectory: dir)
    }

    @Test func aDeletedWorkingFolderIsAConfigurationErrorNotAnAuditOfTheRoot() throws {
        let ws = try Workspace()
        for command in ["audit .", "audit . --no-policy --format json", "verify r.md", "seal r.md"] {
            let r = try bash("mkdir -p g/d && cd g/d && rmdir ../d && timeout 60 \"$1\" \(command)", in: ws.dir)
            #expect(r.status == 2, "\(command): \(r.stderrText)")
            #expect(r.stderrText.contains("the working folder no longer exists"), "\(command): \(r.stderrText)")
            #expect(r.stderrText.components(separatedBy: "\n").count <= 2, "said once: \(r.stderrText)")
            #expect(!r.stdoutText.contains(".secured.yaml"), "nothing outside the folder was read")
        }
        let help = try bash("mkdir -p h/d && cd h/d && rmdir ../d && \"$1\" audit --help", in: ws.dir)
        #expect(help.status == 0 && help.stdoutText.contains("Exit status"), "help needs no working folder")
    }

    @Test func aWorkingFolderPathOverTheSystemLimitIsAConfigurationError() throws {
        let ws = try Workspace()
        let name = String(repeating: "a", count: 200)
        let r = try bash(
            "for i in $(seq 22); do mkdir \(name) && cd \(name) || exit 9; done; printf -- '---\\ntitle: x\\n---\\nb\\n' > r.md; \"$1\" audit . --no-policy",
            in: ws.dir)
        #expect(r.status == 2, "\(r.stderrText)")
        #expect(r.stderrText.contains("over the system's limit"), "\(r.stderrText)")
    }

    @Test(arguments: [
        ["audit", ".", "-q", "--bogus"], ["audit", ".", "-q", "--shard", "0/0"], ["explain", "-q", "SR999"],
        ["verify", "-q", "--format", "yaml", "x.md"], ["hook", "install", "-q"],
    ])
    func usageErrorsAreSaidUnderQuiet(arguments: [String]) throws {
        let ws = try Workspace()
        let r = try secured(arguments, in: ws.dir)
        #expect(r.status == 2)
        #expect(r.stderrText.contains("Error:"), "\(arguments): the reason is said: \(r.stderrText)")
    }
}
