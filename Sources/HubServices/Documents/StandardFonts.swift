import Foundation

/// The two standard PDF fonts the documents use, with WinAnsiEncoding (Windows-1252) so that
/// German text (ä ö ü Ä Ö Ü ß, „…“, –, €) shows correctly without embedding a font.
public enum StandardFont: Sendable, Hashable, CaseIterable {
    case helvetica
    case helveticaBold

    /// The resource name in page content (`/F1`).
    var resourceName: String {
        switch self {
        case .helvetica: "F1"
        case .helveticaBold: "F2"
        }
    }

    var baseFont: String {
        switch self {
        case .helvetica: "Helvetica"
        case .helveticaBold: "Helvetica-Bold"
        }
    }

    /// Advance widths in 1/1000 em for the WinAnsi codes 32…255, from Adobe's AFM metrics of
    /// the standard fonts (the metrics every PDF viewer uses for them). Codes WinAnsi leaves
    /// undefined (127, 129, 141, 143, 144, 157) are never written and have width 0.
    var widths: [Int] {
        switch self {
        case .helvetica: StandardFont.helveticaWidths
        case .helveticaBold: StandardFont.helveticaBoldWidths
        }
    }

    /// The width of WinAnsi-encoded text at `size` points.
    public func width(_ bytes: some Sequence<UInt8>, size: Double) -> Double {
        let table = widths
        var units = 0
        for b in bytes where b >= 32 { units += table[Int(b) - 32] }
        return Double(units) * size / 1000
    }

    // Helvetica, codes 32…255 (16 per row).
    static let helveticaWidths: [Int] = [
        // 32 space ! " # $ % & ' ( ) * + , - . /
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
        // 48 0-9 : ; < = > ?
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
        // 64 @ A-O
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
        // 80 P-Z [ \ ] ^ _
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
        // 96 ` a-o
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
        // 112 p-z { | } ~ DEL
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
        // 128 € (129) ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ (141) Ž (143)
        556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
        // 144 (144) ‘ ’ “ ” • – — ˜ ™ š › œ (157) ž Ÿ
        0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
        // 160 nbsp ¡ ¢ £ ¤ ¥ ¦ § ¨ © ª « ¬ soft-hyphen ® ¯
        278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
        // 176 ° ± ² ³ ´ µ ¶ · ¸ ¹ º » ¼ ½ ¾ ¿
        400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
        // 192 À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
        667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
        // 208 Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
        722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
        // 224 à á â ã ä å æ ç è é ê ë ì í î ï
        556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
        // 240 ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
        556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
    ]

    // Helvetica-Bold, codes 32…255.
    static let helveticaBoldWidths: [Int] = [
        // 32 space ! " # $ % & ' ( ) * + , - . /
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
        // 48 0-9 : ; < = > ?
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
        // 64 @ A-O
        975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
        // 80 P-Z [ \ ] ^ _
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
        // 96 ` a-o
        333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
        // 112 p-z { | } ~ DEL
        611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
        // 128 € (129) ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ (141) Ž (143)
        556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
        // 144 (144) ‘ ’ “ ” • – — ˜ ™ š › œ (157) ž Ÿ
        0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,
        // 160 nbsp ¡ ¢ £ ¤ ¥ ¦ § ¨ © ª « ¬ soft-hyphen ® ¯
        278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
        // 176 ° ± ² ³ ´ µ ¶ · ¸ ¹ º » ¼ ½ ¾ ¿
        400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
        // 192 À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
        722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
        // 208 Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
        722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
        // 224 à á â ã ä å æ ç è é ê ë ì í î ï
        556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
        // 240 ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
        611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
    ]
}

/// Unicode text → WinAnsiEncoding (Windows-1252) bytes, as the standard fonts expect.
public enum WinAnsi {
    /// The code for `?`, written for every character WinAnsi cannot show.
    public static let replacement: UInt8 = 0x3F

    /// Encodes text (canonically composed first, so "a" + combining diaeresis becomes "ä").
    /// Tabs and line breaks become spaces, typographic spaces a space, non-breaking and
    /// minus-like hyphens a hyphen, invisible format characters (zero-width space, joiners,
    /// byte-order mark) nothing; any other character outside WinAnsi becomes `?`.
    public static func encode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            if let byte = byte(scalar) {
                out.append(byte)
            } else if !isInvisible(scalar) {
                out.append(replacement)
            }
        }
        return out
    }

    /// The WinAnsi code of one character, nil when it has none.
    public static func byte(_ scalar: Unicode.Scalar) -> UInt8? {
        let v = scalar.value
        switch v {
        case 0x20...0x7E: return UInt8(v)
        case 0x09, 0x0A, 0x0D: return 0x20
        case 0xAD: return nil
        case 0xA0...0xFF: return UInt8(v)
        case 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return 0x20
        case 0x2010, 0x2011, 0x2212: return 0x2D
        default: return high[v]
        }
    }

    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B...0x200D, 0x2060, 0xFEFF, 0x00AD: true
        default: false
        }
    }

    /// The characters at 0x80…0x9F, where Windows-1252 differs from Latin-1.
    static let high: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87, 0x02C6: 0x88,
        0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93,
        0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98, 0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B,
        0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]
}
