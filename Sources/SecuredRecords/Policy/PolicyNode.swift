/// The YAML of a policy file, as a small tree with 1-based lines.
///
/// A policy gets the resource limits of front matter (SPEC section 1): collections nest at
/// most ``FrontMatterValidator/maximumDepth`` levels (the event stream stops at the first
/// deeper one, before libyaml's scanner, quadratic in the flow depth, gets far), and no
/// aliases at all. Building the tree costs time linear in the events.
indirect enum PolicyNode {
    case scalar(String, line: Int, plain: Bool)
    case sequence([PolicyNode], line: Int)
    case mapping([(key: String, line: Int, value: PolicyNode)], line: Int)

    var line: Int {
        switch self {
        case .scalar(_, let line, _), .sequence(_, let line), .mapping(_, let line): return line
        }
    }

    /// A collection being read: a class, so that adding an item appends in place (an enum
    /// taken off a stack and put back would copy its items each time).
    private final class Open {
        let isMapping: Bool
        let line: Int
        var items: [PolicyNode] = []
        var fields: [(key: String, line: Int, value: PolicyNode)] = []
        var pendingKey: (String, Int)?

        init(isMapping: Bool, line: Int) {
            self.isMapping = isMapping
            self.line = line
        }

        var node: PolicyNode { isMapping ? .mapping(fields, line: line) : .sequence(items, line: line) }
    }

    /// The document's root node (`nil` for an empty file).
    static func parse(_ bytes: [UInt8], file: String) throws(PolicyError) -> PolicyNode? {
        var stack: [Open] = []
        var root: PolicyNode?
        var problem: PolicyError?
        var documents = 0
        func add(_ node: PolicyNode) -> Bool {
            guard let top = stack.last else {
                root = node
                return true
            }
            if !top.isMapping {
                top.items.append(node)
            } else if let (key, keyLine) = top.pendingKey {
                top.fields.append((key, keyLine, node))
                top.pendingKey = nil
            } else {
                guard case .scalar(let key, let keyLine, _) = node else {
                    problem = PolicyError(file: file, line: node.line, message: "keys are plain strings")
                    return false
                }
                top.pendingKey = (key, keyLine)
            }
            return true
        }
        func open(isMapping: Bool, line: Int) -> Bool {
            guard stack.count < FrontMatterValidator.maximumDepth else {
                problem = PolicyError(
                    file: file, line: line,
                    message:
                        "collections nest more than \(FrontMatterValidator.maximumDepth) levels deep (the limit of front matter, SPEC section 1)"
                )
                return false
            }
            stack.append(Open(isMapping: isMapping, line: line))
            return true
        }
        let error = bytes.withUnsafeBufferPointer { buffer in
            YAMLEvents.parse(buffer) { event in
                let line = event.line + 1
                switch event.kind {
                case .documentStart:
                    documents += 1
                    if documents > 1 {
                        problem = PolicyError(file: file, line: line, message: "a policy is one YAML document")
                        return false
                    }
                    return true
                case .documentEnd: return true
                case .alias:
                    problem = PolicyError(file: file, line: line, message: "aliases are not allowed in a policy")
                    return false
                case .scalar:
                    return add(
                        .scalar(
                            String(decoding: event.value, as: UTF8.self), line: line,
                            plain: event.style == .plain && event.tag == nil))
                case .sequenceStart: return open(isMapping: false, line: line)
                case .mappingStart: return open(isMapping: true, line: line)
                case .sequenceEnd, .mappingEnd:
                    guard let top = stack.popLast() else { return false }
                    return add(top.node)
                }
            }
        }
        if let problem { throw problem }
        if let error {
            throw PolicyError(
                file: file, line: error.line.map { $0 + 1 }, message: "not valid YAML: \(error.problem)")
        }
        return root
    }
}
