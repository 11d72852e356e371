/// JSON text from any `Encodable`, written byte for byte as Foundation's `JSONEncoder` writes
/// it with `.sortedKeys` and `.withoutEscapingSlashes` (and `.prettyPrinted` when asked): keys
/// in code point order, `"key" : value` and two-space indentation when pretty, `"\u001f"` for
/// control characters, and a `Double` as its `description` without a trailing `.0`.
///
/// Ours, so that the static binary links no Foundation: FoundationEssentials, brought in for
/// `JSONEncoder` (by the command line, and by swift-argument-parser for `--experimental-dump-help`,
/// patched in `Vendor/swift-argument-parser` to use this), weighed about 3 MB of the binary.
/// `JSONTextTests` holds it to `JSONEncoder`'s output.
public enum JSONText {
    /// `value` as JSON text, or `nil` when it cannot be (a NaN or an infinite number).
    public static func encode(_ value: some Encodable, pretty: Bool) -> String? {
        let root = JSONNode()
        do {
            try JSONNodeEncoder(node: root, codingPath: []).encodeValue(value)
        } catch {
            return nil
        }
        var text = ""
        write(root.value, pretty: pretty, indent: "", to: &text)
        return text
    }

    private static func write(_ value: JSONValue, pretty: Bool, indent: String, to text: inout String) {
        switch value {
        case .literal(let literal): text += literal
        case .string(let string): writeString(string, to: &text)
        case .array(let elements):
            writeList(elements, open: "[", close: "]", pretty: pretty, indent: indent, to: &text) {
                element, inner, text in
                write(element, pretty: pretty, indent: inner, to: &text)
            }
        case .object(let members):
            let sorted = members.sorted { $0.key < $1.key }
            writeList(sorted, open: "{", close: "}", pretty: pretty, indent: indent, to: &text) { member, inner, text in
                writeString(member.key, to: &text)
                text += pretty ? " : " : ":"
                write(member.value, pretty: pretty, indent: inner, to: &text)
            }
        }
    }

    /// A bracketed list, as `JSONEncoder` writes it: even an empty one spans lines when pretty.
    private static func writeList<Element>(
        _ elements: [Element], open: String, close: String, pretty: Bool, indent: String, to text: inout String,
        element: (Element, String, inout String) -> Void
    ) {
        let inner = indent + "  "
        text += open
        if pretty { text += "\n" }
        for (index, item) in elements.enumerated() {
            if index > 0 { text += pretty ? ",\n" : "," }
            if pretty { text += inner }
            element(item, inner, &text)
        }
        if pretty { text += "\n" + indent }
        text += close
    }

    private static func writeString(_ string: String, to text: inout String) {
        let hex: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\u{8}": text += "\\b"
            case "\u{C}": text += "\\f"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{0}"..."\u{1F}":
                text += "\\u00"
                text.append(hex[Int(scalar.value >> 4)])
                text.append(hex[Int(scalar.value & 0xF)])
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}

/// A JSON value: numbers, booleans and null are kept as the text they are written as.
indirect enum JSONValue {
    case literal(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

/// One value under construction: containers hand out child nodes and read them back at the end.
final class JSONNode {
    enum Content {
        case unset
        case value(JSONValue)
        case array([JSONNode])
        case object([String: JSONNode])
    }
    var content = Content.unset

    var value: JSONValue {
        switch content {
        case .unset: .object([:])
        case .value(let value): value
        case .array(let nodes): .array(nodes.map(\.value))
        case .object(let nodes): .object(nodes.mapValues(\.value))
        }
    }

    func child(forKey key: String) -> JSONNode {
        if case .object(var nodes) = content {
            let node = JSONNode()
            nodes[key] = node
            content = .object(nodes)
            return node
        }
        let node = JSONNode()
        content = .object([key: node])
        return node
    }

    func appendChild() -> JSONNode {
        let node = JSONNode()
        if case .array(let nodes) = content {
            content = .array(nodes + [node])
        } else {
            content = .array([node])
        }
        return node
    }

    func makeObject() {
        if case .object = content { return }
        content = .object([:])
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    var count: Int {
        if case .array(let nodes) = content { return nodes.count }
        return 0
    }
}

struct JSONNodeEncoder: Encoder {
    let node: JSONNode
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return JSONUnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueContainer(node: node, codingPath: codingPath)
    }

    /// Numbers, strings and booleans as JSON scalars; anything else encodes itself.
    func encodeValue(_ value: some Encodable) throws {
        if let scalar = try JSONNodeEncoder.scalar(value, codingPath) {
            node.content = .value(scalar)
        } else {
            try value.encode(to: self)
        }
    }

    static func scalar(_ value: Any, _ codingPath: [any CodingKey]) throws -> JSONValue? {
        switch value {
        case let string as String: return .string(string)
        case let bool as Bool: return .literal(bool ? "true" : "false")
        case let double as Double: return try number(double, codingPath)
        case let float as Float: return try number(float, codingPath)
        case let int as Int: return .literal(String(int))
        case let int as Int8: return .literal(String(int))
        case let int as Int16: return .literal(String(int))
        case let int as Int32: return .literal(String(int))
        case let int as Int64: return .literal(String(int))
        case let int as UInt: return .literal(String(int))
        case let int as UInt8: return .literal(String(int))
        case let int as UInt16: return .literal(String(int))
        case let int as UInt32: return .literal(String(int))
        case let int as UInt64: return .literal(String(int))
        default: return nil
        }
    }

    private static func number<F: BinaryFloatingPoint & CustomStringConvertible>(
        _ value: F, _ codingPath: [any CodingKey]
    ) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: codingPath, debugDescription: "\(value) is not valid in JSON"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .literal(text)
    }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    var codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {
        node.child(forKey: key.stringValue).content = .value(.literal("null"))
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let encoder = JSONNodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
        try encoder.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        JSONNodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
            .container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        JSONNodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        JSONNodeEncoder(node: node.child(forKey: "super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        JSONNodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let node: JSONNode
    var codingPath: [any CodingKey]
    var count: Int { node.count }

    mutating func encodeNil() throws {
        node.appendChild().content = .value(.literal("null"))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try JSONNodeEncoder(node: node.appendChild(), codingPath: codingPath).encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        JSONNodeEncoder(node: node.appendChild(), codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONNodeEncoder(node: node.appendChild(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        JSONNodeEncoder(node: node.appendChild(), codingPath: codingPath)
    }
}

struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let node: JSONNode
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws {
        node.content = .value(.literal("null"))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try JSONNodeEncoder(node: node, codingPath: codingPath).encodeValue(value)
    }
}
