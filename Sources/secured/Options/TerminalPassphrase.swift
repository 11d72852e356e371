import SecuredCrypto
import SecuredRecords

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a passphrase from the controlling terminal (`/dev/tty`) with echo off, so it is never
/// shown, and never from stdin (which may be a record or a pipe).
enum TerminalPassphrase {
    /// Longest line read, in bytes.
    static let maximumLength = 1024

    /// Whether the process has a controlling terminal to ask.
    static var isAvailable: Bool {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    /// Asks once: writes `prompt` to the terminal, reads a line with echo off.
    ///
    /// - Returns: the line without its terminator; `nil` when there is no terminal, the line is
    ///   empty or not UTF-8, or reading fails.
    static func ask(_ prompt: String) -> Passphrase? {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // Echo goes off before the prompt is shown, so nothing typed after it is ever echoed.
        var saved = termios()
        let canHide = tcgetattr(fd, &saved) == 0
        if canHide {
            var hidden = saved
            hidden.c_lflag &= ~tcflag_t(ECHO)
            hidden.c_lflag |= tcflag_t(ICANON)
            guard tcsetattr(fd, TCSAFLUSH, &hidden) == 0 else { return nil }
        } else {
            return nil  // never read a passphrase that would be echoed
        }
        _ = Output.writeAll(fd, Array(prompt.utf8))
        var buffer = [UInt8](repeating: 0, count: maximumLength)
        defer { secureWipe(&buffer) }
        var count = 0
        var byte: UInt8 = 0
        while count < maximumLength {
            let n = SystemCall.read(fd, &byte, 1)
            if n <= 0 || byte == 0x0A { break }
            buffer[count] = byte
            count += 1
        }
        byte = 0
        tcsetattr(fd, TCSAFLUSH, &saved)
        _ = Output.writeAll(fd, [0x0A])
        if count > 0 && buffer[count - 1] == 0x0D { count -= 1 }
        guard count > 0 else { return nil }
        return Passphrase(utf8: buffer[..<count])
    }
}
