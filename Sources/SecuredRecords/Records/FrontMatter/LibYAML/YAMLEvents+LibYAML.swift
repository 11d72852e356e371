internal import CYAML

/// One libyaml event, lent to a callback: every buffer is valid only during that call.
struct YAMLEvent {
    enum Kind {
        case documentStart, documentEnd, alias, scalar, sequenceStart, sequenceEnd, mappingStart, mappingEnd
    }

    enum Style { case plain, quoted, block }

    var kind: Kind
    /// 0-based line of the event's start in the parsed text.
    var line: Int
    /// The anchor (`&name`) of a node, or the name an alias refers to; empty when none.
    var anchor: UnsafeBufferPointer<UInt8>
    /// The node's explicit tag, resolved by libyaml (`!!str` reads `tag:yaml.org,2002:str`).
    var tag: UnsafeBufferPointer<UInt8>?
    /// A scalar's value.
    var value: UnsafeBufferPointer<UInt8>
    /// A scalar's style.
    var style: Style
}

/// Why libyaml could not read the text.
struct YAMLParseError: Error {
    /// libyaml's own words.
    var problem: String
    /// 0-based line, where libyaml knows it.
    var line: Int?
}

/// libyaml's event parser over a byte buffer: no node tree, no tag resolution.
enum YAMLEvents {
    /// Parses `text`, calling `body` for each event until the stream ends or `body` returns false.
    ///
    /// - Returns: the parse error, if libyaml found one.
    static func parse(_ text: UnsafeBufferPointer<UInt8>, _ body: (YAMLEvent) -> Bool) -> YAMLParseError? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return YAMLParseError(problem: "out of memory", line: nil) }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, text.baseAddress ?? UnsafePointer(bitPattern: 1)!, text.count)
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { return error(parser, text) }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line)
            let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            var view = YAMLEvent(kind: .documentStart, line: line, anchor: none, tag: nil, value: none, style: .plain)
            switch event.type {
            case YAML_STREAM_END_EVENT: return nil
            case YAML_STREAM_START_EVENT, YAML_NO_EVENT: continue
            case YAML_DOCUMENT_START_EVENT: view.kind = .documentStart
            case YAML_DOCUMENT_END_EVENT: view.kind = .documentEnd
            case YAML_ALIAS_EVENT:
                view.kind = .alias
                view.anchor = bytes(event.data.alias.anchor)
            case YAML_SCALAR_EVENT:
                let s = event.data.scalar
                view.kind = .scalar
                view.anchor = bytes(s.anchor)
                view.tag = s.tag.map { bytes($0) }
                view.value = UnsafeBufferPointer(start: s.value, count: Int(s.length))
                switch s.style {
                case YAML_PLAIN_SCALAR_STYLE: view.style = .plain
                case YAML_SINGLE_QUOTED_SCALAR_STYLE, YAML_DOUBLE_QUOTED_SCALAR_STYLE: view.style = .quoted
                default: view.style = .block
                }
            case YAML_SEQUENCE_START_EVENT:
                view.kind = .sequenceStart
                view.anchor = bytes(event.data.sequence_start.anchor)
                view.tag = event.data.sequence_start.tag.map { bytes($0) }
            case YAML_SEQUENCE_END_EVENT: view.kind = .sequenceEnd
            case YAML_MAPPING_START_EVENT:
                view.kind = .mappingStart
                view.anchor = bytes(event.data.mapping_start.anchor)
                view.tag = event.data.mapping_start.tag.map { bytes($0) }
            case YAML_MAPPING_END_EVENT: view.kind = .mappingEnd
            default: continue
            }
            if !body(view) { return nil }
        }
    }

    private static func bytes(_ p: UnsafeMutablePointer<yaml_char_t>?) -> UnsafeBufferPointer<UInt8> {
        guard let p else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: p, count: strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self)))
    }

    private static func error(_ parser: yaml_parser_t, _ text: UnsafeBufferPointer<UInt8>) -> YAMLParseError {
        let problem = parser.problem.map { String(cString: $0) } ?? "not valid YAML"
        if parser.error == YAML_READER_ERROR {
            // Reader errors carry an offset, not a mark: count the lines before it.
            let offset = min(Int(parser.problem_offset), text.count)
            return YAMLParseError(problem: problem, line: text[..<offset].count { $0 == 0x0A })
        }
        return YAMLParseError(problem: problem, line: Int(parser.problem_mark.line))
    }
}
