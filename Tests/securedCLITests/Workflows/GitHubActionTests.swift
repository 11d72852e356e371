import Foundation
import TestSupport
import Testing

/// The GitHub Action: `action.yml` checked against the action schema, no input interpolated
/// into a script, and its shell steps run as a runner would run them (`Support/Action/action_harness.py`),
/// with this build's binary restored as a cache hit would. `.ci/run` also runs the harness with an
/// empty cache, so the build step itself runs. The harness's last scenario runs `leaks: _site` on
/// a site whose feed leaks a sealed record.
@Suite("GitHub Action: its steps run as a runner would run them")
struct ActionTests {
    static let harness = TestPaths.repositoryRoot.appendingPathComponent(
        "Tests/securedCLITests/Support/Action/action_harness.py"
    ).path
    static let ready =
        (try? runProcess("python3", ["-c", "import yaml"]).status) == 0
        && (try? runProcess("/bin/sh", ["-c", "command -v check-jsonschema"]).status) == 0

    @Test(.enabled(if: ready || ProcessInfo.processInfo.environment["CI"] != nil, "PyYAML or check-jsonschema missing"))
    func theActionsStepsRunAsARunnerWouldRunThem() throws {
        let work = try TestPaths.temporaryDirectory("action")
        let r = try runProcess(
            "python3", [Self.harness, TestPaths.repositoryRoot.path, work.path, "--prebuilt", securedBinary])
        #expect(r.status == 0, "\(r.stdoutText)\(r.stderrText)")
        #expect(r.stdoutText.contains("all action checks passed"))
    }
}
