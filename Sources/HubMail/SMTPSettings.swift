import Foundation

/// Where and how mail leaves the hub. Read once from configuration.
public struct SMTPSettings: Sendable {
    /// `starttls`: plain connection upgraded with STARTTLS (port 587); `tls`: TLS from the
    /// first byte (port 465); `none`: no encryption, allowed only to a loopback host.
    public enum Security: String, Sendable, CaseIterable { case starttls, tls, none }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// Sender address (`From:`).
    public var from: String
    /// A PEM file of certificate authorities to trust instead of the system's (e.g. an
    /// internal mail relay's CA).
    public var caFile: String?
    /// The name given in EHLO.
    public var heloName: String

    public init(host: String, port: Int, security: Security, username: String? = nil, password: String? = nil,
                from: String, caFile: String? = nil, heloName: String = "roundtable") {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.from = from
        self.caFile = caFile
        self.heloName = heloName
    }
}
