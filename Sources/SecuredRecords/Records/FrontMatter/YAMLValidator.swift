/// Reads front matter from libyaml's event stream, without building a node tree, for what
/// SPEC section 1 asks of it: a single mapping; no key repeated in any mapping (keys compared
/// as YAML 1.1 reads them, ``YAMLKey``); no top-level merge key; at most
/// ``FrontMatterValidator/maximumAliases`` aliases; collections nested at most
/// ``FrontMatterValidator/maximumDepth`` levels; and, for the line rule, what YAML reads
/// under the top-level `secured` and `signature` keys.
///
/// Memory is bounded by the text: each mapping keeps its keys' canonical forms, and anchored
/// nodes and non-scalar keys (the only things an alias can be compared through) are kept as
/// canonical bytes capped at ``maximumCanonicalBytes``.
struct YAMLValidator {
    /// A finding about the YAML, before it becomes an SR002: 0-based line, field, reason.
    struct Problem: Error {
        var line: Int?
        var field: String?
        var reason: String
    }

    /// What YAML reads under a top-level `secured` or `signature` key.
    struct TopLevelValue {
        /// 0-based line of the key.
        var keyLine: Int
        /// The value, when it is a scalar that YAML reads as a string.
        var string: [UInt8]?
    }

    /// The reading of a valid front matter.
    struct Reading {
        /// The top-level `secured` / `signature` keys YAML sees (string keys, any style), in order.
        var fields: [(name: String, value: TopLevelValue)] = []
    }

    /// The largest canonical form kept for an anchored node or a non-scalar key.
    static let maximumCanonicalBytes = 1 << 20

    private struct Frame {
        var isMapping: Bool
        /// Canonical key -> 0-based line of its first occurrence.
        var keys = KeySet()
        var expectingKey = true
        /// The key whose value comes next (mappings).
        var key: [UInt8] = []
        var keyLine = 0
        /// A repeat found in this mapping, reported when it ends (as a tree builder would).
        var repeated: Problem?
    }

    /// Canonical bytes of a node in progress (an anchored node, or a non-scalar key).
    private struct Capture {
        var depth: Int
        var bytes: [UInt8] = []
        var anchor: [UInt8]
        var isKey: Bool
    }

    private var frames: [Frame] = []
    private var captures: [Capture] = []
    /// Anchored nodes' canonical forms, and whether each is a scalar.
    private var anchors: [[UInt8]: (canonical: [UInt8], isScalar: Bool)] = [:]
    private var definedAnchors = Set<[UInt8]>()
    private var aliases = 0
    private var documents = 0
    private var rootKind: String?
    private var mergeKeyLine: Int?
    private var reading = Reading()
    private var problem: Problem?

    /// Validates `text` (the front matter).
    ///
    /// - Throws: the first ``Problem``.
    static func read(_ text: UnsafeBufferPointer<UInt8>) throws(Problem) -> Reading {
        var v = YAMLValidator()
        let parseError = YAMLEvents.parse(text) { v.take($0) }
        if let problem = v.problem { throw problem }
        if let parseError {
            throw Problem(line: parseError.line, reason: "front matter is not valid YAML: \(parseError.problem)")
        }
        if let kind = v.rootKind { throw Problem(line: 0, reason: "front matter is a YAML \(kind), not a mapping") }
        if let line = v.mergeKeyLine {
            throw Problem(line: line, field: "<<", reason: "front matter has a top-level YAML merge key ('<<')")
        }
        return v.reading
    }

    /// Takes one event; false stops the parse (a problem was found).
    private mutating func take(_ e: YAMLEvent) -> Bool {
        switch e.kind {
        case .documentStart:
            documents += 1
            if documents > 1 {
                problem = Problem(line: e.line, reason: "front matter holds more than one YAML document")
                return false
            }
            return true
        case .documentEnd: return true
        case .alias: return takeAlias(e)
        case .scalar: return takeScalar(e)
        case .sequenceStart, .mappingStart: return takeCollectionStart(e)
        case .sequenceEnd, .mappingEnd: return takeCollectionEnd()
        }
    }

    /// An alias: counted (an alias bomb is refused), then taken as the node it stands for.
    private mutating func takeAlias(_ e: YAMLEvent) -> Bool {
        aliases += 1
        if aliases > FrontMatterValidator.maximumAliases {
            problem = Problem(
                line: e.line,
                reason:
                    "front matter uses more than \(FrontMatterValidator.maximumAliases) YAML aliases ('*name'); not expanded, as an alias bomb would take exponential time"
            )
            return false
        }
        guard let target = anchors[Array(e.anchor)] else {
            problem = Problem(line: e.line, reason: "front matter is not valid YAML: found undefined alias")
            return false
        }
        // The alias stands for its node: appended exactly as that node was.
        appendToCaptures(target.isScalar ? lengthPrefixed(target.canonical) : target.canonical)
        if frames.isEmpty && rootKind == nil { rootKind = "alias" }
        return node(canonical: target.canonical, isScalar: target.isScalar, string: nil, line: e.line)
    }

    /// A scalar: resolved only where it matters (keys, anchors, captures, top-level values).
    private mutating func takeScalar(_ e: YAMLEvent) -> Bool {
        let inMapping = frames.last?.isMapping ?? false
        let isKey = inMapping && frames[frames.count - 1].expectingKey
        let isTopLevelValue = frames.count == 1 && inMapping && !isKey
        if frames.isEmpty && rootKind == nil { rootKind = "scalar" }
        // Resolving a scalar costs: only keys, anchored or captured scalars and top-level
        // values (the line rule's) are resolved; other values are not looked at.
        guard isKey || isTopLevelValue || !captures.isEmpty || !e.anchor.isEmpty else {
            return node(canonical: [], isScalar: true, string: nil, line: e.line)
        }
        let canonical = YAMLKey.canonical(e.value, tag: e.tag, style: e.style)
        appendToCaptures(lengthPrefixed(canonical))
        if !e.anchor.isEmpty {
            guard defineAnchor(e.anchor, line: e.line) else { return false }
            anchors[Array(e.anchor)] = (canonical, true)
        }
        // A top-level `<<` written plain is a merge key whatever it resolves to.
        if isKey && frames.count == 1 && e.style == .plain && e.value.elementsEqual([0x3C, 0x3C]) {
            mergeKeyLine = mergeKeyLine ?? e.line
        }
        let isString =
            isTopLevelValue && Self.lineRuleField(frames[0].key) != nil
            && (canonical.first == YAMLKey.Kind.str || e.style != .plain)
        return node(canonical: canonical, isScalar: true, string: isString ? Array(e.value) : nil, line: e.line)
    }

    /// The start of a sequence or mapping: a frame, and a capture when it is anchored or a key.
    private mutating func takeCollectionStart(_ e: YAMLEvent) -> Bool {
        let isMapping = e.kind == .mappingStart
        // Stop at the first level too deep, before libyaml's scanner (quadratic in the flow
        // depth) reads much further: the text after it is never scanned.
        guard frames.count < FrontMatterValidator.maximumDepth else {
            problem = Problem(
                line: e.line,
                reason:
                    "front matter nests collections more than \(FrontMatterValidator.maximumDepth) levels deep (SPEC section 1, resource limits)"
            )
            return false
        }
        if frames.isEmpty && rootKind == nil && !isMapping { rootKind = "sequence" }
        let parentExpectsKey = frames.last.map { $0.isMapping && $0.expectingKey } ?? false
        if !e.anchor.isEmpty { guard defineAnchor(e.anchor, line: e.line) else { return false } }
        if !e.anchor.isEmpty || parentExpectsKey {
            captures.append(Capture(depth: frames.count, anchor: Array(e.anchor), isKey: parentExpectsKey))
        }
        appendToCaptures(isMapping ? [0x7B] : [0x5B])
        frames.append(Frame(isMapping: isMapping, keyLine: e.line))
        return problem == nil
    }

    /// The end of a sequence or mapping: its frame closed, its captures done.
    private mutating func takeCollectionEnd() -> Bool {
        let frame = frames.removeLast()
        if let repeated = frame.repeated {
            problem = repeated
            return false
        }
        appendToCaptures(frame.isMapping ? [0x7D] : [0x5D])
        var canonical: [UInt8] = []
        var isKeyCapture = false
        while let last = captures.last, last.depth == frames.count {
            captures.removeLast()
            if !last.anchor.isEmpty { anchors[last.anchor] = (last.bytes, false) }
            if last.isKey {
                canonical = last.bytes
                isKeyCapture = true
            }
        }
        if !isKeyCapture { canonical = [] }
        return node(canonical: canonical, isScalar: false, string: nil, line: frame.keyLine)
    }

    /// A whole node arrived (a scalar, an alias, or the end of a collection): it is its
    /// mapping's key or value.
    private mutating func node(canonical: [UInt8], isScalar: Bool, string: [UInt8]?, line: Int) -> Bool {
        if problem != nil { return false }
        guard !frames.isEmpty, frames[frames.count - 1].isMapping else { return true }
        let depth = frames.count
        if frames[depth - 1].expectingKey {
            frames[depth - 1].expectingKey = false
            frames[depth - 1].key = canonical
            frames[depth - 1].keyLine = line
            if let first = frames[depth - 1].keys.insert(canonical, line: line) {
                if frames[depth - 1].repeated == nil {
                    frames[depth - 1].repeated = Problem(
                        line: first,
                        reason:
                            "front matter is not valid YAML: a key is repeated in one mapping (\(Self.describe(canonical)); line of its first occurrence)"
                    )
                }
            }
        } else {
            frames[depth - 1].expectingKey = true
            if depth == 1, let name = Self.lineRuleField(frames[0].key) {
                reading.fields.append(
                    (name, TopLevelValue(keyLine: frames[0].keyLine, string: isScalar ? string : nil)))
            }
        }
        return true
    }

    /// An anchor may be defined once: libyaml lets a second `&name` replace the first, PyYAML
    /// refuses it, so parsers would read different values through its aliases.
    private mutating func defineAnchor(_ name: UnsafeBufferPointer<UInt8>, line: Int) -> Bool {
        guard !definedAnchors.contains(Array(name)) else {
            problem = Problem(
                line: line,
                reason:
                    "the YAML anchor '&\(String(decoding: name.prefix(64), as: UTF8.self))' is defined twice; parsers disagree on which node its aliases mean"
            )
            return false
        }
        definedAnchors.insert(Array(name))
        return true
    }

    private mutating func appendToCaptures(_ bytes: [UInt8]) {
        for k in captures.indices {
            captures[k].bytes += bytes
            if captures[k].bytes.count > Self.maximumCanonicalBytes && problem == nil {
                problem = Problem(
                    line: nil,
                    reason:
                        "front matter has an anchored node or a non-scalar key larger than \(Self.maximumCanonicalBytes) bytes once its aliases are expanded; not compared"
                )
            }
        }
    }

    private func lengthPrefixed(_ canonical: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: UInt32(canonical.count).bigEndian) { Array($0) } + canonical
    }

    private static let securedKey = Array([YAMLKey.Kind.str] + Array("secured".utf8))
    private static let signatureKey = Array([YAMLKey.Kind.str] + Array("signature".utf8))

    /// `secured` or `signature` when the canonical key is that string (any quoting).
    private static func lineRuleField(_ key: [UInt8]) -> String? {
        if key == securedKey { return "secured" }
        if key == signatureKey { return "signature" }
        return nil
    }

    /// How a message names a key: its text when it is a scalar.
    private static func describe(_ canonical: [UInt8]) -> String {
        guard let kind = canonical.first, kind == YAMLKey.Kind.str else {
            return canonical.first == 0x7B || canonical.first == 0x5B ? "a non-scalar key" : "a key"
        }
        return "'" + String(decoding: canonical.dropFirst().prefix(80), as: UTF8.self) + "'"
    }
}
