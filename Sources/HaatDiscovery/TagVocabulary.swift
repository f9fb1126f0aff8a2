import Foundation

/// The tags discovery may extract, each with the phrases that mean it, and the stop words
/// (`Resources/tag-vocabulary.txt`, shipped with Haat and edited like content).
public struct TagVocabulary: Sendable {
    /// Tag → its phrases as word sequences (the tag's own words included).
    public let phrases: [String: [[String]]]
    public let stopWords: Set<String>
    /// First word of a phrase → (phrase, tag), longest phrases first: the matcher's index.
    let index: [String: [(words: [String], tag: String)]]
    /// The longest phrase, in words.
    let longestPhrase: Int

    public var tags: [String] { phrases.keys.sorted() }

    /// Parses the vocabulary's text: `tag | phrase; phrase` lines, `stop | word; word`,
    /// `#` comments and blank lines.
    public init(text: String) throws {
        var phrases: [String: [[String]]] = [:]
        var stop: Set<String> = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw VocabularyError(line: number + 1, message: "expected `tag | phrase; phrase`")
            }
            let entries = parts[1].split(separator: ";").map { TextTokens.words(String($0)) }.filter { !$0.isEmpty }
            if parts[0] == "stop" {
                stop.formUnion(entries.joined())
                continue
            }
            var all = [TextTokens.words(parts[0])] + entries
            all = all.reduce(into: []) { unique, phrase in if !unique.contains(phrase) { unique.append(phrase) } }
            phrases[parts[0], default: []] += all
        }
        self.phrases = phrases
        stopWords = stop
        var index: [String: [(words: [String], tag: String)]] = [:]
        for (tag, list) in phrases {
            for words in list { index[words[0], default: []].append((words, tag)) }
        }
        for key in index.keys {
            index[key]?.sort { $0.words.count != $1.words.count ? $0.words.count > $1.words.count : $0.tag < $1.tag }
        }
        self.index = index
        longestPhrase = phrases.values.joined().map(\.count).max() ?? 1
    }

    /// The vocabulary shipped with Haat.
    public static func bundled() throws -> TagVocabulary {
        guard let url = Bundle.module.url(forResource: "tag-vocabulary", withExtension: "txt") else {
            throw VocabularyError(line: 0, message: "tag-vocabulary.txt is missing from the HaatDiscovery bundle")
        }
        return try TagVocabulary(text: String(contentsOf: url, encoding: .utf8))
    }

    /// The tags mentioned in `words`, once per mention: at each position the longest
    /// phrase that starts there wins, and its words are not matched again.
    public func mentions(in words: [String]) -> [String] {
        var found: [String] = []
        var position = 0
        while position < words.count {
            var matched = 0
            if let candidates = index[words[position]] {
                for candidate in candidates where position + candidate.words.count <= words.count {
                    if words[position..<position + candidate.words.count].elementsEqual(candidate.words) {
                        found.append(candidate.tag)
                        matched = candidate.words.count
                        break
                    }
                }
            }
            position += max(1, matched)
        }
        return found
    }

    /// The vocabulary tag a free-text tag means (a creator's own `bday-cakes`), if any.
    public func tag(meaning text: String) -> String? {
        let words = TextTokens.words(text)
        guard let first = words.first else { return nil }
        return index[first]?.first { $0.words == words }?.tag
    }
}

public struct VocabularyError: Error, CustomStringConvertible {
    public let line: Int
    public let message: String
    public var description: String { "tag-vocabulary.txt:\(line): \(message)" }
}
