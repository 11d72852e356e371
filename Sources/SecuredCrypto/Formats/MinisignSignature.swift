/// A detached minisign signature (`<file>.minisig`), as SPEC section 6 uses it for manifests:
///
/// ```
/// untrusted comment: <text>
/// <B64(algorithm || key number || Ed25519 signature)>
/// trusted comment: <text>
/// <B64(Ed25519-Sign(key, signature || trusted comment text))>
/// ```
///
/// The algorithm is `ED` (the signature covers BLAKE2b-512 of the file: written here) or the
/// legacy `Ed` (it covers the file itself: accepted when verifying, never written).
public struct MinisignSignature: Sendable, Equatable {
    /// What the signature covers.
    public enum Algorithm: String, Sendable {
        /// BLAKE2b-512 of the file ("hashed").
        case prehashed = "ED"
        /// The file's bytes (legacy).
        case legacy = "Ed"
    }

    /// Why a `.minisig` file is malformed.
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        /// 1-based line, where there is one.
        public var line: Int?
        /// What is wrong.
        public var reason: String
        public var description: String { line.map { "line \($0): \(reason)" } ?? reason }

        public init(line: Int?, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    /// What covers what.
    public var algorithm: Algorithm
    /// The signing key's number (8 bytes).
    public var keyNumber: [UInt8]
    /// The signature of the file (or of its BLAKE2b-512).
    public var signature: [UInt8]
    /// The first line's text, after `untrusted comment: ` (not authenticated).
    public var untrustedComment: String
    /// The third line's text, after `trusted comment: ` (authenticated by the global signature).
    public var trustedComment: String
    /// The signature of `signature || trustedComment`.
    public var globalSignature: [UInt8]

    /// Signs `file` (prehashed, algorithm `ED`).
    ///
    /// - Throws: ``CryptoError/openSSL(_:)``.
    public static func sign(
        _ file: some ContiguousBytesProtocol, with key: Ed25519.PrivateKey, keyNumber: [UInt8],
        untrustedComment: String, trustedComment: String
    ) throws -> MinisignSignature {
        let signature = try key.signature(for: BLAKE2b512.hash(file))
        let global = try key.signature(for: signature + Array(trustedComment.utf8))
        return MinisignSignature(
            algorithm: .prehashed, keyNumber: keyNumber, signature: signature, untrustedComment: untrustedComment,
            trustedComment: trustedComment, globalSignature: global)
    }

    /// The `.minisig` file's text.
    public var fileText: String {
        "untrusted comment: \(untrustedComment)\n"
            + Base64.encode(Array(algorithm.rawValue.utf8) + keyNumber + signature) + "\n"
            + "trusted comment: \(trustedComment)\n" + Base64.encode(globalSignature) + "\n"
    }

    /// How verification went.
    public enum Verification: Sendable, Equatable {
        case valid
        /// The signature of the file does not match: the file was changed or the key is wrong.
        case signatureFails
        /// The file's signature matches, but the trusted comment was changed.
        case trustedCommentFails
    }

    /// Verifies, in minisign's order: the signature of the file, then the global signature
    /// (which authenticates the trusted comment). The caller has matched the key number.
    ///
    /// - Throws: ``CryptoError/openSSL(_:)`` when BLAKE2b cannot be computed.
    public func verify(_ file: some ContiguousBytesProtocol, with key: Ed25519.PublicKey) throws -> Verification {
        let covered = algorithm == .prehashed ? BLAKE2b512.hash(file) : file.withUnsafeBytes { Array($0) }
        guard key.isValidSignature(signature, for: covered) else { return .signatureFails }
        guard key.isValidSignature(globalSignature, for: signature + Array(trustedComment.utf8)) else {
            return .trustedCommentFails
        }
        return .valid
    }

    /// Parses a `.minisig` file; CRLF line ends are accepted.
    ///
    /// - Throws: ``FormatError`` naming the line.
    public init(parsing text: String) throws(FormatError) {
        let lines = textLines(text, droppingBOM: false).filter { !$0.text.isEmpty }
        guard lines.count == 4 else {
            throw FormatError(line: nil, reason: "a .minisig file holds four lines; this one has \(lines.count)")
        }
        guard lines[0].text.hasPrefix("untrusted comment: ") || lines[0].text == "untrusted comment:" else {
            throw FormatError(line: lines[0].number, reason: "expected 'untrusted comment: '")
        }
        guard lines[2].text.hasPrefix("trusted comment: ") else {
            throw FormatError(line: lines[2].number, reason: "expected 'trusted comment: '")
        }
        guard let first = try? Base64.decode(lines[1].text), first.count == 74 else {
            throw FormatError(line: lines[1].number, reason: "the signature line is not base64 of 74 bytes")
        }
        guard let algorithm = Algorithm(rawValue: String(decoding: first[0..<2], as: UTF8.self)) else {
            throw FormatError(line: lines[1].number, reason: "unknown signature algorithm (expected ED or Ed)")
        }
        guard let global = try? Base64.decode(lines[3].text), global.count == 64 else {
            throw FormatError(line: lines[3].number, reason: "the global signature is not base64 of 64 bytes")
        }
        for line in [lines[0], lines[2]] where line.text.unicodeScalars.contains("\r") {
            throw FormatError(line: line.number, reason: "a comment holds a carriage return")
        }
        self.algorithm = algorithm
        keyNumber = Array(first[2..<10])
        signature = Array(first[10...])
        untrustedComment = String(lines[0].text.dropFirst("untrusted comment:".count).drop { $0 == " " })
        trustedComment = String(lines[2].text.dropFirst("trusted comment: ".count))
        globalSignature = global
    }

    private init(
        algorithm: Algorithm, keyNumber: [UInt8], signature: [UInt8], untrustedComment: String,
        trustedComment: String, globalSignature: [UInt8]
    ) {
        self.algorithm = algorithm
        self.keyNumber = keyNumber
        self.signature = signature
        self.untrustedComment = untrustedComment
        self.trustedComment = trustedComment
        self.globalSignature = globalSignature
    }
}
