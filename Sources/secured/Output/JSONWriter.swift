import JSONText

/// A JSON object whose members are written in sorted key order, whatever order they were
/// added in, so every document is stable; a member's value may stream (written by a closure
/// when its turn comes), for reports too long to hold.
struct JSONObjectWriter {
    private var members: [String: (inout TextSink, String) -> Void] = [:]

    /// Adds a member whose value is `value` encoded on one line (keys sorted).
    mutating func add(_ key: String, _ value: some Encodable) {
        let text = Self.compact(value)
        members[key] = { sink, _ in sink.write(text) }
    }

    /// Adds a member whose value `write` streams; it is handed the indentation of the member.
    mutating func add(_ key: String, streaming write: @escaping (inout TextSink, String) -> Void) {
        members[key] = write
    }

    /// Adds a member whose value is another object, written over several lines.
    mutating func add(_ key: String, object: JSONObjectWriter) {
        members[key] = { sink, indent in object.write(to: &sink, indent: indent) }
    }

    /// Writes the object, members in sorted key order, each on its own line.
    func write(to sink: inout TextSink, indent: String = "") {
        guard !members.isEmpty else { return sink.write("{}") }
        let inner = indent + "  "
        sink.write("{\n")
        for (index, key) in members.keys.sorted().enumerated() {
            sink.write("\(inner)\(Self.compact(key)) : ")
            members[key]!(&sink, inner)
            sink.write(index == members.count - 1 ? "\n" : ",\n")
        }
        sink.write("\(indent)}")
    }

    /// One JSON value on one line, keys sorted.
    static func compact(_ value: some Encodable) -> String {
        JSONText.encode(value, pretty: false) ?? "null"
    }
}
