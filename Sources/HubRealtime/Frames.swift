import Foundation
import HubServices
import NIOCore

/// Server → client frames, built as bytes. An event is encoded once, when it is
/// published, and the same buffer goes to every recipient.
public enum Frames {
    /// `{"type":"event",...,"data":<payload>}`: the payload is spliced in verbatim.
    public static func event(_ e: StoredEvent, epoch: String) -> ByteBuffer {
        var text = "{\"type\":\"event\",\"topic\":"
        text += quoted(e.topic)
        text += ",\"epoch\":" + quoted(epoch)
        text += ",\"seq\":\(e.seq),\"name\":" + quoted(e.name)
        text += ",\"at\":" + quoted(WireJSON.formatInstant(Date(millis: e.atMillis)))
        text += ",\"data\":" + e.payload + "}"
        return ByteBuffer(string: text)
    }

    /// Several event frames joined into one `batch` frame (one write instead of many).
    public static func batch(_ events: [ByteBuffer]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(events.reduce(32) { $0 + $1.readableBytes + 1 })
        buffer.writeString("{\"type\":\"batch\",\"events\":[")
        for (index, var event) in events.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeBuffer(&event)
        }
        buffer.writeString("]}")
        return buffer
    }

    /// A control message encoded from an `Encodable` value.
    public static func control<T: Encodable>(_ value: T) -> ByteBuffer {
        ByteBuffer(string: WireJSON.string(value))
    }

    /// JSON string literal for a value we generate ourselves.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
