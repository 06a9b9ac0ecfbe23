/// A word-level difference between two texts, for a recommendation's history.
public enum TextDiff {
    /// One run of the diff: text both share, text only the new one has, or only the old one.
    public enum Operation: String, Sendable, Hashable, Codable {
        case equal, insert, delete
    }

    public struct Run: Sendable, Hashable, Codable {
        public let op: Operation
        public let text: String

        public init(_ op: Operation, _ text: String) {
            self.op = op
            self.text = text
        }
    }

    /// Above this many cells of the comparison table the middle part is shown as replaced
    /// as a whole: keeps memory and time bounded for pathological inputs.
    public static let maxCells = 4_000_000

    /// Words and the whitespace or punctuation between them, each its own token, so that a
    /// diff never splits a word and joining the runs gives back the text exactly.
    public static func tokens(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var start = text.startIndex
        var kind: Int? = nil
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            let k = c.isLetter || c.isNumber ? 0 : (c.isWhitespace ? 1 : 2)
            if let kind, kind != k || k == 2 {
                result.append(text[start..<index])
                start = index
            }
            kind = k
            index = text.index(after: index)
        }
        if start < text.endIndex { result.append(text[start..<text.endIndex]) }
        return result
    }

    /// The runs that turn `old` into `new`; adjacent runs of the same kind are joined.
    public static func words(from old: String, to new: String) -> [Run] {
        let a = tokens(old), b = tokens(new)
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let midA = Array(a[prefix..<(a.count - suffix)]), midB = Array(b[prefix..<(b.count - suffix)])

        var runs: [Run] = []
        func add(_ op: Operation, _ text: Substring) {
            guard !text.isEmpty else { return }
            if let last = runs.last, last.op == op {
                runs[runs.count - 1] = Run(op, last.text + text)
            } else {
                runs.append(Run(op, String(text)))
            }
        }
        for t in a[0..<prefix] { add(.equal, t) }
        if midA.count * midB.count > maxCells {
            for t in midA { add(.delete, t) }
            for t in midB { add(.insert, t) }
        } else {
            for (op, t) in lcsScript(midA, midB) { add(op, t) }
        }
        for t in a[(a.count - suffix)...] { add(.equal, t) }
        return runs
    }

    /// Longest-common-subsequence edit script; deletions before insertions at each change.
    static func lcsScript(_ a: [Substring], _ b: [Substring]) -> [(Operation, Substring)] {
        let n = a.count, m = b.count
        guard n > 0, m > 0 else { return a.map { (.delete, $0) } + b.map { (.insert, $0) } }
        // lengths[i][j]: LCS length of a[i...] and b[j...], one flat row-major table.
        var lengths = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i * (m + 1) + j] = a[i] == b[j]
                    ? lengths[(i + 1) * (m + 1) + j + 1] + 1
                    : max(lengths[(i + 1) * (m + 1) + j], lengths[i * (m + 1) + j + 1])
            }
        }
        var script: [(Operation, Substring)] = []
        var i = 0, j = 0
        while i < n, j < m {
            if a[i] == b[j] {
                script.append((.equal, a[i])); i += 1; j += 1
            } else if lengths[(i + 1) * (m + 1) + j] >= lengths[i * (m + 1) + j + 1] {
                script.append((.delete, a[i])); i += 1
            } else {
                script.append((.insert, b[j])); j += 1
            }
        }
        while i < n { script.append((.delete, a[i])); i += 1 }
        while j < m { script.append((.insert, b[j])); j += 1 }
        return script
    }
}
