/// What the user can give or change to get past a refusal or a note, in the library's terms.
///
/// The library never names a command-line flag: it says what is missing ("no key was given")
/// and carries a remedy; the `secured` command words the remedy as its flags when it renders
/// the message. Embedders word it their own way, or not at all.
package enum Remedy: Sendable, Hashable {
    /// Give a key (any key the operation can use).
    case giveKey
    /// Give a public key; `expectedID` is the key id the policy or record names, if known.
    case givePublicKey(expectedID: String?)
    /// Give the secret or read-only key that sealed the records.
    case giveReadKey
    /// Give the passphrase that a passphrase key file is encrypted under.
    case givePassphrase
    /// Give the age identity that a key file is encrypted to.
    case giveAgeIdentity
    /// The key text given is a path: name the key file instead (`word`: the path, as a shell word).
    case nameKeyFile(word: String?)
    /// Seal without a signature, on purpose.
    case sealUnsigned
    /// Seal the body over the sealed content, on purpose.
    case resealBody
    /// The message is about a policy or key file read as it is at the trusted base.
    case readAtTrustedBase
    /// Trust policies and keys only as they are at a base commit.
    case trustBase
    /// The message is about the base commit that was asked to be trusted (it names it first).
    case trustedBase
    /// Require signatures of every record checked.
    case requireSignatures
    /// Require signatures or sealing whatever the policies below say, or trust policies only
    /// as they are at a base commit.
    case overridePolicies
    /// Write the leak baseline again.
    case writeBaseline
    /// Raise the size limit.
    case raiseSizeLimit
    /// The message is about the search of git history.
    case searchHistory
}
