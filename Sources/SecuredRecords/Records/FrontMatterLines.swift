extension Record {
    /// The front matter's lines, kept as where each starts (4 bytes a line) and made into a
    /// ``Record/Line`` when read: a front matter of millions of empty lines costs a few bytes
    /// a line, not the 32 of a stored `Line` and its array's growth.
    public struct FrontMatterLines: RandomAccessCollection, Sendable {
        /// Each line's first byte, then the closing `---` line's: `count + 1` offsets.
        private let starts: [UInt32]
        private let bytes: [UInt8]
        /// The number of the first line (the one after the opening `---`).
        private let firstNumber: Int

        init(starts: [UInt32], bytes: [UInt8], firstNumber: Int) {
            self.starts = starts
            self.bytes = bytes
            self.firstNumber = firstNumber
        }

        /// The first line's index: 0.
        public var startIndex: Int { 0 }
        /// One past the last line's index.
        public var endIndex: Int { starts.count - 1 }

        /// The line at `index`.
        public subscript(index: Int) -> Line {
            let start = Int(starts[index])
            let end = Int(starts[index + 1])
            // Every front-matter line has a terminator (the closing line follows): LF or CRLF.
            var contentEnd = end - 1
            if contentEnd > start && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            return Line(number: firstNumber + index, range: start..<end, contentEnd: contentEnd)
        }
    }
}
