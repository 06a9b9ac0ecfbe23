import Foundation

/// The one JSON dialect of the API, the event log and the WebSocket: camelCase keys,
/// ISO 8601 instants with milliseconds in UTC, sorted keys (stable output for tests and
/// caches).
public enum WireJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatInstant(date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = parseInstant(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected an ISO 8601 instant"))
            }
            return date
        }
        return decoder
    }

    /// Encodes a value to JSON text.
    public static func string<T: Encodable>(_ value: T) -> String {
        // Encoding our own view types cannot fail; a failure is a programming error.
        guard let data = try? encoder().encode(value), let text = String(data: data, encoding: .utf8) else {
            preconditionFailure("view type \(T.self) failed to encode")
        }
        return text
    }

    public static func formatInstant(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    public static func parseInstant(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: .iso8601)
    }
}

extension Date {
    /// Milliseconds since 1970, the storage form of instants.
    public var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    public init(millis: Int64) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}
