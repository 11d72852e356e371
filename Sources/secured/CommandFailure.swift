/// A command's failure that is not one record's finding (a commit refused, an index that
/// cannot be merged): its message, which `main` says once on stderr, and the exit status
/// (SPEC section 8: 1 a refused or failed operation, 2 a usage or configuration error).
struct CommandFailure: Error {
    /// What failed and why, one or more lines; never key bytes or plaintext.
    var message: String
    /// The exit status.
    var status: Int32

    init(_ message: String, status: Int32) {
        self.message = message
        self.status = status
    }
}
