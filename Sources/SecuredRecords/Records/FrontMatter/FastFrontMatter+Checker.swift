extension FastFrontMatter {
    /// The one-pass check of ``FastFrontMatter``: the open collections (a frame stack) and their
    /// keys, and each line placed in them. Its other parts: the character scan
    /// (FastFrontMatter+Characters.swift), keys (FastFrontMatter+Keys.swift) and values
    /// (FastFrontMatter+Values.swift).
    struct Checker {
        let b: UnsafeBufferPointer<UInt8>
        /// The open collections, innermost last: `frameCount` of them, the top-level mapping first.
        let frames: UnsafeMutablePointer<Frame>
        var frameCount = 1
        /// The keys of the open mappings, each mapping's from its frame's `keyStart`.
        let keys: UnsafeMutablePointer<Range<Int>>
        var keyCount = 0
        /// One frame a level: the nesting limit of SPEC section 1 bounds them.
        static let frameCapacity = FrontMatterValidator.maximumDepth
        /// Keys open at once (those of the mappings enclosing a line); more is left to libyaml.
        static let keyCapacity = 512
        /// A line ended in `key:` or `-` with no value: (indent of its frame, frame is a mapping).
        var pending: (indent: Int, fromMapping: Bool)?
        /// Whether YAML read a top-level `secured` / `signature` key (with a string value).
        var sawSecured = false
        var sawSignature = false
        /// The decoded `secured` value's characters (base64 and one `;`), if known.
        var blob: Range<Int>?

        init(b: UnsafeBufferPointer<UInt8>, frames: UnsafeMutablePointer<Frame>, keys: UnsafeMutablePointer<Range<Int>>)
        {
            self.b = b
            self.frames = frames
            self.keys = keys
            frames[0] = Frame(indent: 0, isSequence: false, keyStart: 0)
        }

        /// Adds a key to the innermost mapping; false ("not sure") when the buffer is full.
        mutating func addKey(_ name: Range<Int>) -> Bool {
            guard keyCount < Self.keyCapacity else { return false }
            keys[keyCount] = name
            keyCount += 1
            return true
        }

        mutating func line(_ s: Int, _ e: Int) -> Bool {
            var i = s
            while i < e && b[i] == 0x20 { i += 1 }
            if i == e || b[i] == 0x23 { return true }  // blank or comment
            let column = i - s
            if b[i] == 0x2D && (i + 1 == e || b[i + 1] == 0x20) {
                guard structure(column, .sequenceEntry) else { return false }
                var j = i + 1
                while j < e && b[j] == 0x20 { j += 1 }
                if j == e || b[j] == 0x23 {
                    pending = (column, false)
                    return true
                }
                if b[j] == 0x2D && (j + 1 == e || b[j + 1] == 0x20) { return false }  // "- - x"
                if let key = key(j, e) {
                    // "- key: value": a mapping whose keys sit at this column.
                    guard push(Frame(indent: j - s, isSequence: false, keyStart: keyCount)), addKey(key.name) else {
                        return false
                    }
                    return value(key.colon + 1, e, mappingIndent: j - s, topLevelKey: nil)
                }
                return b[j] == 0x5B ? flowSequence(j, e) : scalar(j, e) != nil
            }
            guard let key = key(i, e) else { return false }
            guard structure(column, .mappingKey) else { return false }
            let top = frames[frameCount - 1]
            if keyCount - top.keyStart > 64 { return false }
            for k in top.keyStart..<keyCount where sameBytes(keys[k], key.name) { return false }
            guard addKey(key.name) else { return false }
            var topLevelKey: UInt8?
            if frameCount == 1 {
                let isSecured = sameBytes(key.name, "secured")
                let isSignature = sameBytes(key.name, "signature")
                if isSecured || isSignature {
                    // A quoted `secured`/`signature` key is not a top-level line.
                    guard !key.quoted else { return false }
                    topLevelKey = isSecured ? 1 : 2
                }
            }
            return value(key.colon + 1, e, mappingIndent: column, topLevelKey: topLevelKey)
        }

        /// Opens a block collection; false ("not sure") when the nesting nears the limit of SPEC
        /// section 1 (each frame is one level, and a one-line flow sequence may add one more):
        /// libyaml's event stream then decides, and finds a front matter too deep.
        mutating func push(_ frame: Frame) -> Bool {
            guard frameCount < Self.frameCapacity - 1 else { return false }
            frames[frameCount] = frame
            frameCount += 1
            return true
        }

        /// Places a line that starts a sequence entry or a mapping key at `column`.
        mutating func structure(_ column: Int, _ kind: Kind) -> Bool {
            if let open = pending {
                pending = nil
                if column > open.indent {
                    return push(Frame(indent: column, isSequence: kind == .sequenceEntry, keyStart: keyCount))
                }
                if column == open.indent && kind == .sequenceEntry && open.fromMapping {
                    // "key:" then "- item" at the key's own column.
                    return push(Frame(indent: column, isSequence: true, keyStart: keyCount))
                }
            }
            while frameCount > 1 {
                let top = frames[frameCount - 1]
                guard top.indent > column || (top.indent == column && top.isSequence && kind == .mappingKey) else {
                    break
                }
                frameCount -= 1
                keyCount = top.keyStart
            }
            let top = frames[frameCount - 1]
            return top.indent == column && top.isSequence == (kind == .sequenceEntry)
        }
    }
}
