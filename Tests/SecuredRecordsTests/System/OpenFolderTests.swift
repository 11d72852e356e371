import Foundation
import Testing

@testable import SecuredRecords

/// A worker opens each record by its name in the folder it opened last.
struct OpenFolderTests {
    @Test func opensEachFileInItsOwnFolderAcrossFolderChanges() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("openfolder-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (folder, name) in [("a", "x.md"), ("a", "y.md"), ("b", "x.md"), ("a b", "z.md")] {
            let dir = root.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data("\(folder)/\(name)".utf8).write(to: dir.appendingPathComponent(name))
        }
        let folder = OpenFolder()
        func contents(_ relative: String) -> String? {
            guard let fd = folder.openFile(root.path + "/" + relative, O_RDONLY | O_CLOEXEC), fd >= 0 else {
                return nil
            }
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = read(fd, &buffer, buffer.count)
            return String(decoding: buffer[..<max(n, 0)], as: UTF8.self)
        }
        for relative in ["a/x.md", "a/y.md", "b/x.md", "a/x.md", "a b/z.md", "b/x.md"] {
            #expect(contents(relative) == relative)
        }
        // A missing file in a folder that exists: openat's own failure, with errno.
        #expect(folder.openFile(root.path + "/a/missing.md", O_RDONLY) == -1)
        #expect(errno == ENOENT)
        // No folder to open, or one that does not exist: the caller opens the whole path.
        #expect(folder.openFile("x.md", O_RDONLY) == nil)
        #expect(folder.openFile(root.path + "/nowhere/x.md", O_RDONLY) == nil)
        // An escaped byte (a name that is not UTF-8): the caller decodes and opens it.
        #expect(folder.openFile(root.path + "/a/\u{10FEE9}.md", O_RDONLY) == nil)
        #expect(contents("a/y.md") == "a/y.md")
    }
}
