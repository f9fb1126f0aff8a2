import Foundation

/// How text becomes search terms, at build time for the index and in the browser for a
/// query (`themes/default/assets/search.js` repeats these rules; `search_flow.py` holds
/// the two to the same answers on a word list).
///
/// 1. Lowercased, Latin diacritics folded, apostrophes dropped (Aaji's is "aajis"), split
///    at anything not a letter, mark or digit; words of one character and stop words dropped.
/// 2. Each word of Latin letters stemmed, so that the forms people type meet: first a
///    plural (`ies` → `y`, `sses` → `ss`, a final `s` but not `ss`, `us` or `is`), then
///    the first of the endings `ation`, `ing`, `ed`, `er`, `y`, `e` that leaves at least
///    four letters. photographer, photographers and photography all become "photograph";
///    cakes "cake"; framing and frames "fram". A stem need not be a word: only that both
///    sides make the same one.
public enum SearchTerms {
    static let stopWords: Set<String> = ["and", "the", "of", "in", "for", "to", "with", "by", "at", "on", "an"]
    static let endings = ["ation", "ing", "ed", "er", "y", "e"]
    static let shortestStem = 4

    /// Every stemmed term of `text`, in order, repeats kept.
    public static func terms(_ text: String) -> [String] {
        words(text).map(stem)
    }

    /// The words of `text` (rule 1), not stemmed.
    public static func words(_ text: String) -> [String] {
        // Most text is ASCII: lowercase and split its bytes directly; fold the rest.
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                .replacingOccurrences(of: "\u{2019}", with: "").replacingOccurrences(of: "'", with: "")
                .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
                .map(String.init)
                .filter { $0.count > 1 && !stopWords.contains($0) }
        }
        var words: [String] = []
        var word: [UInt8] = []
        func finish() {
            if word.count > 1 {
                let text = String(decoding: word, as: UTF8.self)
                if !stopWords.contains(text) { words.append(text) }
            }
            word.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
            case UInt8(ascii: "'"): break  // Aaji's is one word, "aajis"
            default: finish()
            }
        }
        finish()
        return words
    }

    /// Rule 2, on one word from `words`.
    public static func stem(_ word: String) -> String {
        guard word.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }) else { return word }
        var stem = word
        if stem.hasSuffix("ies"), stem.count > 4 {
            stem = String(stem.dropLast(3)) + "y"
        } else if stem.hasSuffix("sses") {
            stem = String(stem.dropLast(2))
        } else if stem.hasSuffix("s"), !stem.hasSuffix("ss"), !stem.hasSuffix("us"), !stem.hasSuffix("is"), stem.count > shortestStem {
            stem = String(stem.dropLast())
        }
        for ending in endings where stem.hasSuffix(ending) {
            if stem.count - ending.count >= shortestStem { stem = String(stem.dropLast(ending.count)) }
            break
        }
        return stem
    }
}
