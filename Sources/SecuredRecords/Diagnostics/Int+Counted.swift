extension Int {
    /// The count and the noun, singular for one: `1 record`, `2 records`, `1 index`.
    ///
    /// - Parameters:
    ///   - singular: the noun for one.
    ///   - plural: the noun for any other count (`singular + "s"` when not given).
    public func counted(_ singular: String, _ plural: String? = nil) -> String {
        "\(self) \(self == 1 ? singular : plural ?? singular + "s")"
    }
}
