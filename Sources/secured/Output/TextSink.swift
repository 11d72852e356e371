/// Text written in chunks to stdout or stderr, so that a long report costs few system calls.
struct TextSink {
    let toStdout: Bool
    private var buffer = ""

    init(toStdout: Bool) { self.toStdout = toStdout }

    mutating func write(_ text: String) {
        buffer += text
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        if toStdout { Output.data(buffer) } else { Output.error(buffer) }
        buffer = ""
    }
}
