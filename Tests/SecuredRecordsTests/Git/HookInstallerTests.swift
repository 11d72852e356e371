import Foundation
import SecuredRecords
import TestSupport
import Testing

@Suite("Pre-commit hook installation")
struct HookInstallerTests {
    let dir: URL
    init() throws { dir = try TestPaths.temporaryDirectory("hooks") }

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func aFreshInstallCreatesAnExecutableHookThatCarriesTheMarker() throws {
        let hooks = dir.appendingPathComponent("hooks").path
        try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
        let result = try HookInstaller.install(hooksDirectory: hooks, secured: "/opt/secured/bin/secured")
        #expect(result == HookInstallResult(path: hooks + "/pre-commit", created: true))
        let script = try text(result.path)
        #expect(script.hasPrefix("#!/bin/sh\n" + HookInstaller.marker + "\n"))
        #expect(script.contains("installed=/opt/secured/bin/secured\n"))
        #expect(script.contains("exec \"$secured\" hook check\n"))
        #expect(FileManager.default.isExecutableFile(atPath: result.path))
    }

    @Test func aHookSecuredWroteIsUpdatedInPlace() throws {
        let hooks = dir.appendingPathComponent("hooks").path
        let first = try HookInstaller.install(hooksDirectory: hooks, secured: "/old/secured")
        let second = try HookInstaller.install(hooksDirectory: hooks + "/", secured: "/new/secured")
        #expect(first.created && !second.created)
        #expect(second.path == first.path)
        let script = try text(second.path)
        #expect(script.contains("installed=/new/secured\n") && !script.contains("/old/secured"))
        #expect(FileManager.default.isExecutableFile(atPath: second.path))
    }

    @Test func aHookSecuredDidNotWriteIsRefusedAndLeftAsItWas() throws {
        let hooks = dir.appendingPathComponent("hooks").path
        try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
        let path = hooks + "/pre-commit"
        try Data("#!/bin/sh\necho mine\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: RecordError.self) {
            try HookInstaller.install(hooksDirectory: hooks, secured: "/usr/bin/secured")
        }
        #expect(error?.code == .refused && error?.file == path)
        #expect(error?.description.contains("did not write is there; not overwritten") == true)
        #expect(try text(path) == "#!/bin/sh\necho mine\n")
    }

    @Test func aNestedHooksFolderIsCreatedAndAFileInItsWayIsAConfigurationError() throws {
        let hooks = dir.appendingPathComponent(".githooks/pre/deeper").path
        let result = try HookInstaller.install(hooksDirectory: hooks, secured: "/usr/bin/secured")
        #expect(result.created && FileManager.default.fileExists(atPath: result.path))

        let file = dir.appendingPathComponent("plain").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let error = #expect(throws: ConfigurationError.self) {
            try HookInstaller.install(hooksDirectory: file + "/hooks", secured: "/usr/bin/secured")
        }
        #expect(error?.message.contains("cannot create the hooks folder") == true, "\(String(describing: error))")
    }

    /// The hook runs whatever the path holds, one word: a fake secured in a folder named with
    /// a space, quotes and `$` records the arguments it was run with.
    @Test func aPathWithSpacesQuotesAndDollarsIsOneShellWord() throws {
        let odd = dir.appendingPathComponent("it's a \"tool\" $HOME `x` \\ dir").path
        try FileManager.default.createDirectory(atPath: odd, withIntermediateDirectories: true)
        let fake = odd + "/secured"
        let log = dir.appendingPathComponent("ran.txt").path
        try Data("#!/bin/sh\nprintf '%s|' \"$@\" > '\(log)'\n".utf8).write(to: URL(fileURLWithPath: fake))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
        let hooks = dir.appendingPathComponent("hooks").path
        let result = try HookInstaller.install(hooksDirectory: hooks, secured: fake)

        let ran = try bash(result.path, path: "/usr/bin:/bin")
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(try text(log) == "hook|check|")

        // Gone, and none on PATH: the message names the path it was at, as it is.
        try FileManager.default.removeItem(atPath: fake)
        let gone = try bash(result.path, path: dir.path)
        #expect(gone.status == 1)
        #expect(gone.stderr == "secured pre-commit hook: secured is not installed (it was at \(fake))\n")
    }

    func bash(_ script: String, path: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script]
        process.environment = ["PATH": path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
