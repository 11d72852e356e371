/// A report written in chunks to stdout, so that a long report costs few system calls. Each
/// chunk is whole lines (a partial last line waits for the rest), so ``Output/data(_:as:)``
/// sees every line whole when it makes what a file or record put there inert.
struct TextSink {
    let form: StdoutForm
    private var buffer = ""

    init(_ form: StdoutForm) { self.form = form }

    mutating func write(_ text: String) {
        buffer += text
        guard buffer.utf8.count >= 1 << 16, let end = buffer.utf8.lastIndex(of: 0x0A) else { return }
        let next = buffer.utf8.index(after: end)
        Output.data(String(buffer[..<next]), as: form)
        buffer = String(buffer[next...])
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        Output.data(buffer, as: form)
        buffer = ""
    }
}
