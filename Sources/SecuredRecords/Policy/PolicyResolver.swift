import SecuredCrypto
import Synchronization

/// Finds the policy of each record: the nearest `.secured.yaml` at or above its folder, up
/// to the repository root. Folders are looked up once; the policies found are remembered,
/// and so are the errors of policies that cannot be read (a usage error for the caller).
public final class PolicyResolver: Sendable {
    private struct State {
        var byFolder: [String: Policy?] = [:]
        var errors: [String: PolicyError] = [:]
    }
    private let state = Mutex(State())
    private let cwd = FilePath.currentDirectory()
    /// Folders as paths name them (`content/news`), so each is made absolute once.
    private let byName = Mutex<[String: Policy?]>([:])

    public init() {}

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
        if FilePath.kind(candidate) != nil {
            do {
                found = try Policy.load(candidate)
            } catch {
                state.withLock { $0.errors[candidate] = error }
            }
        } else if dir != "/" && !FilePath.exists(dir + "/.git") {
            found = policy(inFolder: FilePath.parent(dir))
        }
        state.withLock { $0.byFolder[dir] = .some(found) }
        return found
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
