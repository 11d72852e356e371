import SecuredCrypto
import Synchronization

/// Finds the policy of each record: the nearest `.secured.yaml` at or above its folder, up
/// to the repository root. Folders are looked up once; the policies found are remembered,
/// and so are the errors of policies that cannot be read (a usage error for the caller).
public final class PolicyResolver: Sendable {
    private struct State {
        var byFolder: [String: Policy?] = [:]
        var errors: [String: PolicyError] = [:]
        var baseNotes: [String: Note] = [:]
    }
    /// Where policies are read when trust comes from a base commit (`--trust-from`).
    package let base: TrustBase?
    private let state = Mutex(State())
    /// The absolute folder relative paths start from.
    public let workingDirectory: String
    private var cwd: String { workingDirectory }
    /// Folders as paths name them (`content/news`), so each is made absolute once.
    private let byName = Mutex<[String: Policy?]>([:])

    /// A resolver of the policy files in the work tree.
    ///
    /// - Parameter workingDirectory: the absolute folder relative paths start from (the
    ///   caller's working directory; the library never reads it).
    public convenience init(workingDirectory: String) {
        self.init(base: nil, workingDirectory: workingDirectory)
    }

    /// A resolver; with `base`, every policy file in the work tree is read as it is at that
    /// commit: one the change added is not applied (the folder above decides), one it changed
    /// or deleted is applied as it was; each such difference is a note (``baseNotes``). With
    /// the index (`TrustBase.index()`), every policy is read as staged, the same way.
    ///
    /// - Parameters:
    ///   - base: where policies are read from, if not the work tree.
    ///   - workingDirectory: the absolute folder relative paths start from.
    package init(base: TrustBase?, workingDirectory: String) {
        self.base = base
        self.workingDirectory = workingDirectory
    }

    /// What the trusted base changed about the policies looked up so far, by file.
    public var baseNotes: [Note] {
        state.withLock { $0.baseNotes }.sorted { FilePath.precedes($0.key, $1.key) }.map(\.value)
    }

    /// The folder part of a record's path, as the cache keys it.
    static func folderName(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        return slash == path.utf8.startIndex ? "/" : String(path[..<slash])
    }

    /// The policy of the record at `path` (or of the folder `path`).
    public func policy(for path: String, isFolder: Bool = false) -> Policy? {
        let name = isFolder ? path : Self.folderName(of: path)
        if let known = byName.withLock({ $0[name] }) { return known }
        let found = policy(inFolder: FilePath.absolute(name, from: cwd))
        byName.withLock { $0[name] = .some(found) }
        return found
    }

    private func policy(inFolder dir: String) -> Policy? {
        if let known = state.withLock({ $0.byFolder[dir] }) { return known }
        let candidate = (dir == "/" ? "" : dir) + "/" + Policy.fileName
        var found: Policy?
        if let base, let relative = base.relative(candidate) {
            switch policy(atBase: base, relative: relative, candidate: candidate) {
            case .some(let policy): found = policy
            case nil where dir != "/" && !FilePath.exists(dir + "/.git"): found = policy(inFolder: FilePath.parent(dir))
            case nil: break
            }
        } else if FilePath.kind(candidate) != nil {
            do {
                found = try Policy.load(candidate, workingDirectory: cwd)
            } catch {
                state.withLock { $0.errors[candidate] = shortened(error, candidate) }
            }
        } else if dir != "/" && !FilePath.exists(dir + "/.git") {
            found = policy(inFolder: FilePath.parent(dir))
        }
        state.withLock { $0.byFolder[dir] = .some(found) }
        return found
    }

    /// The policy file `candidate` as it is at the base: `.some(policy)` when the base has
    /// one there (noted when the work tree's differs), `nil` when it has none (noted when the
    /// work tree has one: the change added it).
    private func policy(atBase base: TrustBase, relative: String, candidate: String) -> Policy?? {
        let working = FilePath.kind(candidate) != nil ? try? RecordFile.read(candidate, sizeLimit: 1 << 20) : nil
        guard let bytes = base.bytes(atRelative: relative) else {
            if FilePath.kind(candidate) != nil {
                note(
                    candidate,
                    base.isIndex
                        ? "this policy is not staged, so the commit would not hold it: it is not applied (the hook reads the index); the policy of the folder above decides; stage it with: \(SuggestedCommand.words(["git", "add", "--"], paths: [FilePath.shortened(candidate, cwd: cwd)]))"
                        : "this policy is not on \(base.name): the change added it, so it is not applied; the policy of the folder above decides",
                    remedy: base.isIndex ? nil : .readAtTrustedBase)
            }
            return nil
        }
        if working != bytes {
            note(
                candidate,
                base.isIndex
                    ? "this policy \(working == nil ? "is deleted" : "is changed") in the work tree but not in the index: it is applied as staged (the hook reads the index)"
                    : "this policy \(working == nil ? "was deleted" : "was changed") since \(base.name): it is applied as it is there",
                remedy: base.isIndex ? nil : .readAtTrustedBase)
        }
        do {
            return .some(try Policy(parsing: bytes, file: candidate, workingDirectory: cwd))
        } catch {
            state.withLock { $0.errors[candidate] = shortened(error, candidate) }
            return .some(nil)
        }
    }

    /// `error` naming `candidate` relative to the working directory, as messages name files.
    private func shortened(_ error: PolicyError, _ candidate: String) -> PolicyError {
        var error = error
        if error.file == candidate { error.file = FilePath.shortened(candidate, cwd: cwd) }
        return error
    }

    private func note(_ candidate: String, _ message: String, remedy: Remedy?) {
        let file = FilePath.shortened(candidate, cwd: cwd)
        state.withLock { $0.baseNotes[file] = Note(.changedSinceBase, path: file, message: message, remedy: remedy) }
    }

    /// What has been looked up so far, read without a lock: the lookups of a walk's records
    /// on several threads at once (a folder not seen yet still goes to the resolver).
    func snapshot() -> PolicyLookup {
        PolicyLookup(known: byName.withLock { $0 }, resolver: self)
    }

    /// Policy files that could not be read, sorted by path.
    public var errors: [PolicyError] {
        state.withLock { $0.errors.values.sorted { FilePath.precedes($0.file, $1.file) } }
    }

    /// Every policy found so far, sorted by file.
    public var policies: [Policy] {
        var seen = Set<String>()
        var out: [Policy] = []
        for case let policy? in state.withLock({ Array($0.byFolder.values) }) where seen.insert(policy.file).inserted {
            out.append(policy)
        }
        return out.sorted { FilePath.precedes($0.file, $1.file) }
    }
}

/// A read-only copy of a resolver's folder cache (``PolicyResolver/snapshot()``).
struct PolicyLookup: Sendable {
    let known: [String: Policy?]
    let resolver: PolicyResolver

    func policy(for path: String) -> Policy? {
        if let hit = known[PolicyResolver.folderName(of: path)] { return hit }
        return resolver.policy(for: path)
    }
}
