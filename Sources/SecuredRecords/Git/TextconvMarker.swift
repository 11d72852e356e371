/// The one line `secured textconv` (the git diff driver) prints where it does not show a
/// record's plaintext, or shows plaintext nothing authenticated: `[secured textconv: …]`
/// (README, "git diff"). It follows what was shown on a line of its own, so a diff never
/// glues it to the file's last line, and it never holds key bytes or plaintext.
package enum TextconvMarker {
    /// Why the marker is there.
    package enum Reason: Sendable, Equatable {
        /// Opened, but unsigned: its padding checked out with a key, which anyone holding the
        /// key could have made.
        case unsigned
        /// Shown as it is, not opened, and why (no key, a signature that fails, too large).
        case notOpened(String)
        /// The file cannot be read; nothing of it was shown.
        case unreadable(file: String, reason: String)
    }

    /// The marker's text, without a line break.
    package static func text(_ reason: Reason) -> String {
        switch reason {
        case .unsigned:
            return
                "[secured textconv: opened, but unsigned: not authenticated; anyone holding the key could have written it]"
        case .notOpened(let why): return "[secured textconv: not opened: \(why)]"
        case .unreadable(let file, let why): return "[secured textconv: cannot read \(FilePath.display(file)): \(why)]"
        }
    }

    /// The marker as printed after what was shown, ending with a line break and starting with
    /// one when the shown text does not end with one.
    ///
    /// - Parameters:
    ///   - reason: why the marker is there.
    ///   - last: the last byte shown; `nil` when nothing was.
    package static func line(_ reason: Reason, after last: UInt8?) -> String {
        (last == nil || last == 0x0A ? "" : "\n") + text(reason) + "\n"
    }
}
