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

    @Test func aHookSecuredWroteThatWasEditedIsKeptBesideItBeforeTheUpdate() throws {
        // As found: a line added to the hook was gone after install ran again ("updated").
        let hooks = dir.appendingPathComponent("hooks").path
        let path = try HookInstaller.install(hooksDirectory: hooks, secured: "/old/secured").path
        let edited = try text(path) + "echo MY CUSTOM LINE\n"
        try Data(edited.utf8).write(to: URL(fileURLWithPath: path))
        let result = try HookInstaller.install(hooksDirectory: hooks, secured: "/new/secured")
        #expect(result == HookInstallResult(path: path, created: false, keptAs: path + ".secured-old"))
        #expect(try text(path + ".secured-old") == edited)
        #expect(try text(path) == HookInstaller.script(secured: "/new/secured"))
        // Unedited now: updated with nothing to keep.
        #expect(try HookInstaller.install(hooksDirectory: hooks, secured: "/newer/secured").keptAs == nil)
        // Edited again while the kept one is there: refused, both left as they were.
        let again = try text(path).replacingOccurrences(of: "hook check", with: "hook check --audit")
        try Data(again.utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: RecordError.self) {
            try HookInstaller.install(hooksDirectory: hooks, secured: "/new/secured")
        }
        #expect(error?.code == .refused && error?.file == path + ".secured-old")
        #expect(try text(path) == again && text(path + ".secured-old") == edited)
    }

    @Test func aHookForAnyPathIsUneditedAndAnyOtherChangeIsAnEdit() throws {
        let odd = FilePath.decode(Array("/a b/it's/\n\t".utf8) + [0xE9, 0x2F] + Array("caf\u{E9}/$x/secured".utf8))
        for secured in ["/usr/bin/secured", "/opt/my tools/secured", "/x/it's", odd, "-dash/secured"] {
            let script = HookInstaller.script(secured: secured)
            #expect(HookInstaller.isUnedited(Array(script.utf8)), "\(script)")
            #expect(!HookInstaller.isUnedited(Array((script + "echo mine\n").utf8)))
            #expect(!HookInstaller.isUnedited(Array(script.replacingOccurrences(of: "exit 1", with: "exit 0").utf8)))
        }
        let plain = HookInstaller.script(secured: "/usr/bin/secured")
        for word in ["/usr/bin/secured; echo hi", "'/a' '/b'", "/usr/bin/secured\necho hi", "", "$'a\\x4'"] {
            let changed = plain.replacingOccurrences(of: "installed=/usr/bin/secured\n", with: "installed=\(word)\n")
            #expect(!HookInstaller.isUnedited(Array(changed.utf8)), "\(word)")
        }
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
