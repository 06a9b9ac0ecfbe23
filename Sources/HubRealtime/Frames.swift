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

    /// The same event as a complete WebSocket text frame: header and payload in one buffer,
    /// built once per event when it is published. A writer on the event loop hands this
    /// buffer to the socket as it is for every recipient (no per-recipient frame encoding);
    /// `payload(ofFrame:)` gives the JSON without copying, for batches and the task writer.
    ///
    /// `prev`: the seq of the event the hub sent before this one on the topic, when that is
    /// not `seq - 1` (the events between were superseded values, see `Conflation`); written as
    /// `"prev"` only then, so an unconflated frame is exactly as before.
    public static func framedEvent(_ e: StoredEvent, epoch: String, prev: Int64? = nil) -> ByteBuffer {
        var text = "{\"type\":\"event\",\"topic\":"
        text += quoted(e.topic)
        text += ",\"epoch\":" + quoted(epoch)
        text += ",\"seq\":\(e.seq)"
        if let prev, prev != e.seq - 1 { text += ",\"prev\":\(prev)" }
        text += ",\"name\":" + quoted(e.name)
        text += ",\"at\":" + quoted(WireJSON.formatInstant(Date(millis: e.atMillis)))
        text += ",\"data\":" + e.payload + "}"
        return textFrame(text)
    }

    /// A complete, unmasked, final WebSocket text frame (RFC 6455 §5.2) for a server message.
    public static func textFrame(_ text: String) -> ByteBuffer {
        let length = text.utf8.count
        var buffer = ByteBuffer()
        buffer.reserveCapacity(length + 10)
        writeTextFrameHeader(length: length, into: &buffer)
        buffer.writeString(text)
        return buffer
    }

    /// Frames a JSON payload that is already in a buffer (control messages, replayed events).
    public static func textFrame(payload: ByteBuffer) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(payload.readableBytes + 10)
        writeTextFrameHeader(length: payload.readableBytes, into: &buffer)
        var payload = payload
        buffer.writeBuffer(&payload)
        return buffer
    }

    static func writeTextFrameHeader(length: Int, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0x81))  // FIN, opcode 1 (text)
        if length < 126 {
            buffer.writeInteger(UInt8(length))
        } else if length <= Int(UInt16.max) {
            buffer.writeInteger(UInt8(126))
            buffer.writeInteger(UInt16(length))
        } else {
            buffer.writeInteger(UInt8(127))
            buffer.writeInteger(UInt64(length))
        }
    }

    /// The JSON payload inside a frame made by `textFrame` (a slice: no copy).
    public static func payload(ofFrame frame: ByteBuffer) -> ByteBuffer {
        guard let second = frame.getInteger(at: frame.readerIndex + 1, as: UInt8.self) else { return frame }
        let header = switch second & 0x7F {
        case 126: 4
        case 127: 10
        default: 2
        }
        return frame.getSlice(at: frame.readerIndex + header, length: frame.readableBytes - header) ?? ByteBuffer()
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
