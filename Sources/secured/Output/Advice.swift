import SecuredCrypto
import SecuredRecords

/// The command line's words for a library ``Remedy``: the flags and variables that give what
/// the library said was missing. The library never names a flag; every message that carries
/// a remedy is shown through here.
enum Advice {
    /// `message` with the remedy's advice, worded as `secured`'s flags.
    static func worded(_ message: String, _ remedy: Remedy?) -> String {
        guard let remedy else { return message }
        switch remedy {
        case .giveKey: return message + ": pass --key PATH or set SECURED_KEY"
        case .givePublicKey(let id):
            return message + ": --key Keys/\(id ?? "<id>").pub (or SECURED_KEY, or the policy's 'keys:')"
        case .giveReadKey: return message + " (--key, or SECURED_KEY)"
        case .givePassphrase: return message + ": pass --passphrase-file PATH or set SECURED_PASSPHRASE"
        case .giveAgeIdentity:
            return message + ": pass --identity PATH (your age identity file) or set SECURED_AGE_IDENTITY"
        case .nameKeyFile(let word?): return message + ", or --key \(word)"
        case .nameKeyFile(nil): return message + "; to name a file, use --key PATH"
        case .sealUnsigned: return message + ", or pass --no-sign to seal unsigned on purpose"
        case .resealBody: return message + "; pass --reseal to replace the sealed content with the body"
        case .readAtTrustedBase: return message + " (--trust-from)"
        case .trustBase:
            return message + ", or pass --trust-from REF to trust policies and keys only as they are on the base branch"
        case .trustedBase: return "--trust-from " + message
        case .requireSignatures:
            return message + "; --require-signature (or the policy's require-signature) makes that an error (SR008)"
        case .overridePolicies:
            return message + ", or pass --require-signature or --require-secured (or --trust-from REF)"
        case .writeBaseline: return message + " (--write-baseline)"
        case .raiseSizeLimit: return message + " (--size-limit)"
        case .searchHistory: return "--history: " + message
        }
    }

    /// The advice alone, as a finding's hint: for a refusal that carries a remedy.
    static func hint(_ remedy: Remedy) -> String {
        switch remedy {
        case .resealBody: return "to replace the sealed content with the body, pass --reseal"
        case .raiseSizeLimit: return "to search larger files, raise the limit with --size-limit"
        default:
            let text = worded("", remedy).drop { ":;, (".contains($0) }
            return String(text.last == ")" ? text.dropLast() : text)
        }
    }

    /// A configuration error's message, with its advice.
    static func message(_ error: ConfigurationError) -> String { worded(error.message, error.remedy) }

    /// A key file error's description, with its advice.
    static func message(_ error: KeyFileError) -> String { worded(error.description, error.remedy) }
}

extension Note {
    /// The note's message, with its advice.
    var advisedMessage: String { Advice.worded(message, remedy) }

    /// The note as ``description`` reads it, with its advice.
    var advisedDescription: String {
        var note = self
        note.message = advisedMessage
        return note.description
    }
}
