import CQRencode
import Foundation
import HubCore
import Hummingbird
import NIOCore

/// QR codes for a panel's public link, drawn by Debian's libqrencode and written here as SVG
/// (a single path) or PNG (1-bit grey, stored deflate blocks: no compression library needed).
enum QRCodeImage {
    /// The modules of a QR code (true = dark), row by row, error correction level M; nil when
    /// the text does not fit.
    static func modules(_ text: String) -> [[Bool]]? {
        guard let code = text.withCString({ QRcode_encodeString($0, 0, QR_ECLEVEL_M, QR_MODE_8, 1) }) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        guard width > 0, let data = code.pointee.data else { return nil }
        return (0..<width).map { y in (0..<width).map { x in data[y * width + x] & 1 == 1 } }
    }

    /// Four modules of quiet zone around the symbol, as the standard asks.
    static let quiet = 4

    static func svg(_ modules: [[Bool]], title: String) -> String {
        let size = modules.count + 2 * quiet
        var path = ""
        for (y, row) in modules.enumerated() {
            for (x, dark) in row.enumerated() where dark { path += "M\(x + quiet) \(y + quiet)h1v1h-1z" }
        }
        let escaped = title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(size) \(size)" width="\(size * 8)" height="\(size * 8)" role="img" \
            aria-label="\(escaped)" shape-rendering="crispEdges"><title>\(escaped)</title><rect width="\(size)" height="\(size)" fill="#fff"/>\
            <path fill="#000" d="\(path)"/></svg>
            """
    }

    /// 1-bit greyscale (black 0, white 1), rows packed eight pixels to a byte.
    static func png(_ modules: [[Bool]], scale: Int = 8) -> [UInt8] {
        let size = (modules.count + 2 * quiet) * scale
        let rowBytes = (size + 7) / 8
        var raw: [UInt8] = []
        raw.reserveCapacity(size * (rowBytes + 1))
        for py in 0..<size {
            raw.append(0) // filter: none
            let my = py / scale - quiet
            var row = [UInt8](repeating: 0, count: rowBytes)
            for px in 0..<size {
                let mx = px / scale - quiet
                let dark = my >= 0 && my < modules.count && mx >= 0 && mx < modules.count && modules[my][mx]
                if !dark { row[px / 8] |= 0x80 >> UInt8(px % 8) }
            }
            raw += row
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header += be32(UInt32(size)) + be32(UInt32(size))
        header += [1, 0, 0, 0, 0] // 1-bit, greyscale, deflate, adaptive filtering, no interlace
        chunk("IHDR", header, into: &png)
        chunk("IDAT", zlibStored(raw), into: &png)
        chunk("IEND", [], into: &png)
        return png
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }

    static func chunk(_ type: String, _ data: [UInt8], into png: inout [UInt8]) {
        let typed = Array(type.utf8) + data
        png += be32(UInt32(data.count)) + typed + be32(crc32(typed))
    }

    /// A zlib stream of stored (uncompressed) deflate blocks of at most 65,535 bytes.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65_535, data.count - offset)
            let last: UInt8 = offset + n >= data.count ? 1 : 0
            out += [last, UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8((~n >> 8) & 0xff)]
            out += data[offset..<(offset + n)]
            offset += n
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + be32(b << 16 | a)
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xff)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

extension QRCodeImage {
    /// An image answer with the QR code of `url` (SVG or PNG), or nil when the link does not fit.
    static func response(for url: String, svg: Bool, fileName: String) -> Response? {
        guard let modules = modules(url) else { return nil }
        if svg {
            return Response(status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8", .contentDisposition: "inline; filename=\"\(fileName).svg\""],
                            body: .init(byteBuffer: ByteBuffer(string: self.svg(modules, title: url))))
        }
        return Response(status: .ok, headers: [.contentType: "image/png", .contentDisposition: "inline; filename=\"\(fileName).png\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: png(modules))))
    }

    /// The QR code of a board's guest join page (`#/<page>/<id>/join`) for Lean Coffee and
    /// Barcamp; the caller has checked that the actor may read the board.
    static func boardJoin(origin: String, page: String, id: String, svg: Bool, notFound: String) throws -> Response {
        guard let response = response(for: "\(origin)/#/\(page)/\(id)/join", svg: svg, fileName: "\(page)-\(id)") else {
            throw DomainError.notFound(notFound)
        }
        return response
    }
}
