import SecuredRecords

/// How a signature check reads in a message.
func describe(_ check: SignatureCheck) -> String {
    switch check {
    case .valid(let id): return "signature valid, key \(id)"
    case .unsigned: return "unsigned: padding check only, not authenticated"
    case .notChecked(let id): return "signed by \(id), not checked"
    }
}
