/// Password rules after NIST SP 800-63B and OWASP ASVS 5.0: at least 8 characters, long
/// passwords allowed, no composition rules, no forced rotation, but refuse passwords that
/// are common or built from the account's own email address.
public enum PasswordPolicy {
    public static let minimumLength = 8
    /// Generous, so passphrases fit; bounded, so hashing cost stays bounded.
    public static let maximumLength = 256

    /// Problems with a new password, reported for the field `field`.
    public static func issues(_ password: String, email: String, field: String = "password") -> [FieldIssue] {
        if password.count < minimumLength {
            return [FieldIssue(field: field, code: "tooShort", message: "Use at least \(minimumLength) characters.")]
        }
        if password.count > maximumLength {
            return [FieldIssue(field: field, code: "tooLong", message: "Use at most \(maximumLength) characters.")]
        }
        let folded = password.lowercased()
        if CommonPasswords.contains(folded) {
            return [FieldIssue(field: field, code: "common", message: "This password is too common. Choose another one, e.g. a few unrelated words.")]
        }
        let local = email.lowercased().split(separator: "@").first.map(String.init) ?? ""
        if local.count >= 4 && folded.contains(local) {
            return [FieldIssue(field: field, code: "containsEmail", message: "The password must not contain your email address.")]
        }
        return []
    }
}
