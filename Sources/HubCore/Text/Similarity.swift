import Foundation

/// Finds texts that say similar things (TF-IDF weighted cosine similarity), so that focus
/// groups drafting on the same theme find each other instead of working in parallel.
public enum Similarity {
    /// Frequent German and English words that carry no topic.
    static let stopWords: Set<String> = [
        "der", "die", "das", "und", "oder", "für", "fuer", "mit", "von", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem",
        "ist", "sind", "wird", "werden", "auf", "aus", "bei", "nach", "zur", "zum", "im", "in", "an", "als", "auch", "sich", "nicht",
        "durch", "über", "ueber", "um", "so", "wie", "dass", "sowie", "soll", "sollen", "kann", "können", "the", "and", "for", "with",
        "of", "to", "a", "an", "is", "are", "be", "by", "on", "or", "this", "that", "from",
    ]

    /// Lower-cased words of three letters or more, without stop words, with a crude German
    /// plural/inflection trim so "Kinder"/"Kindern" and "Angebot"/"Angebote" meet.
    public static func terms(_ text: String) -> [String] {
        text.lowercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
            .compactMap { word -> String? in
                guard word.count >= 3 else { return nil }
                let w = String(word)
                guard !stopWords.contains(w) else { return nil }
                for ending in ["ern", "en", "er", "es", "e", "n", "s"] where w.count - ending.count >= 4 && w.hasSuffix(ending) {
                    return String(w.dropLast(ending.count))
                }
                return w
            }
    }

    public struct Match<ID: Hashable & Sendable>: Sendable, Hashable {
        public let id: ID
        /// Cosine similarity, 0 (nothing shared) to 1 (the same words in the same weights).
        public let score: Double
    }

    /// Ranks `candidates` by similarity to `query`, best first, dropping those below
    /// `threshold`. IDF weights come from the query and candidates together. Ties break by
    /// the order of the candidates, so the result is deterministic.
    public static func rank<ID: Hashable & Sendable>(_ query: String, among candidates: [(ID, String)], threshold: Double = 0.15,
                                                     limit: Int = 5) -> [Match<ID>] {
        let documents = [terms(query)] + candidates.map { terms($0.1) }
        var documentFrequency: [String: Int] = [:]
        for doc in documents { for term in Set(doc) { documentFrequency[term, default: 0] += 1 } }
        let n = Double(documents.count)
        func vector(_ doc: [String]) -> [String: Double] {
            var counts: [String: Double] = [:]
            for term in doc { counts[term, default: 0] += 1 }
            return counts.reduce(into: [:]) { result, item in
                let idf = log((1 + n) / (1 + Double(documentFrequency[item.key] ?? 0))) + 1
                result[item.key] = (1 + log(item.value)) * idf
            }
        }
        let q = vector(documents[0])
        // Sums run over sorted terms: dictionary order varies between runs, float sums must not.
        func norm(_ v: [String: Double]) -> Double { sqrt(v.keys.sorted().reduce(0) { $0 + v[$1]! * v[$1]! }) }
        let qTerms = q.keys.sorted()
        let qNorm = norm(q)
        guard qNorm > 0 else { return [] }
        var matches: [(Int, Match<ID>)] = []
        for (index, candidate) in candidates.enumerated() {
            let v = vector(documents[index + 1])
            let vNorm = norm(v)
            guard vNorm > 0 else { continue }
            let dot = qTerms.reduce(0.0) { $0 + q[$1]! * (v[$1] ?? 0) }
            let score = dot / (qNorm * vNorm)
            if score >= threshold { matches.append((index, Match(id: candidate.0, score: (score * 1000).rounded() / 1000))) }
        }
        return matches.sorted { $0.1.score != $1.1.score ? $0.1.score > $1.1.score : $0.0 < $1.0 }.prefix(limit).map(\.1)
    }
}
