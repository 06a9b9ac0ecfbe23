import Foundation
import Logging
import PostgresNIO

/// Where the PostgreSQL store lives, parsed from a URL of the usual form
/// `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require|verify-full]`
/// (`postgresql://` also). The port defaults to 5432, the database to the user's name, `sslmode`
/// to `prefer` as with libpq (`require` encrypts without checking the certificate, as libpq does;
/// `verify-full` checks it against the system's trust roots and the host name).
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Hashable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public struct InvalidURL: Error, CustomStringConvertible {
        public let description: String
    }

    public init(url: String) throws {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw InvalidURL(description: "expected postgres://user@host:port/database")
        }
        guard let user = components.user, !user.isEmpty else { throw InvalidURL(description: "the URL names no user") }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? 5432
        username = user.removingPercentEncoding ?? user
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        let path = String(components.path.drop(while: { $0 == "/" }))
        database = path.isEmpty ? username : (path.removingPercentEncoding ?? path)
        let sslmode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        switch sslmode {
        case "disable": tls = .disable
        case "allow", "prefer": tls = .prefer
        case "require", "verify-ca": tls = .require
        case "verify-full": tls = .verifyFull
        default: throw InvalidURL(description: "unknown sslmode \(sslmode)")
        }
    }

    /// The same server and role, another database.
    public func database(_ name: String) -> PostgresLocation {
        var copy = self
        copy.database = name
        return copy
    }

    /// The URL without the password.
    public var description: String {
        "postgres://\(username)@\(host):\(port)/\(database)" + (tls == .prefer ? "" : "?sslmode=\(tls.rawValue)")
    }

    func clientConfiguration(maximumConnections: Int) -> PostgresClient.Configuration {
        let mode: PostgresClient.Configuration.TLS
        switch tls {
        case .disable:
            mode = .disable
        case .prefer, .require:
            var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            tlsConfiguration.certificateVerification = .none
            mode = tls == .prefer ? .prefer(tlsConfiguration) : .require(tlsConfiguration)
        case .verifyFull:
            mode = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password,
                                                         database: database, tls: mode)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}

extension PostgresStore {
    /// Creates an empty database owned by the URL's role unless it exists (provisioning; the
    /// contract tests make one per test). `location` names a database the role can connect to;
    /// the role needs `CREATEDB`. Returns whether it was created.
    @discardableResult
    public static func createDatabase(_ name: String, at location: PostgresLocation, logger: Logger) async throws -> Bool {
        let identifier = try quotedIdentifier(name)
        return try await withClient(location, logger: logger) { client in
            let exists = try await client.rows("SELECT 1 FROM pg_database WHERE datname = \(name)", logger)
            guard exists.isEmpty else { return false }
            try await client.rows("CREATE DATABASE \(unescaped: identifier)", logger)
            return true
        }
    }

    /// Drops a database, ending the sessions still connected to it.
    public static func dropDatabase(_ name: String, at location: PostgresLocation, logger: Logger) async throws {
        let identifier = try quotedIdentifier(name)
        try await withClient(location, logger: logger) { client in
            _ = try await client.rows("DROP DATABASE IF EXISTS \(unescaped: identifier) WITH (FORCE)", logger)
        }
    }

    /// Database names are restricted to lower-case letters, digits and `_` (they cannot be bound).
    private static func quotedIdentifier(_ name: String) throws -> String {
        guard (1...63).contains(name.utf8.count), name.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }) else {
            throw PostgresLocation.InvalidURL(description: "database names here are [a-z0-9_]{1,63}")
        }
        return "\"\(name)\""
    }
}
