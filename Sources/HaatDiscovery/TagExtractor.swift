import HaatCore

/// A creator's profile text, as tag extraction reads it: tokenised once (`TextTokens`),
/// so recommendations can reuse the same words.
public struct TagSource: Sendable {
    public let titleWords: [[String]]
    public let descriptionWords: [[String]]
    public let storyWords: [String]
    /// Tags the creator typed, kept (normalised to the vocabulary when they mean one of its tags).
    public let ownTags: [String]

    public init(titles: [String], descriptions: [String], story: String, ownTags: [String]) {
        titleWords = titles.map(TextTokens.words)
        descriptionWords = descriptions.map(TextTokens.words)
        storyWords = TextTokens.words(story)
        self.ownTags = ownTags
    }

    /// Every word: titles, descriptions, then the story.
    public var allWords: [String] { Array((titleWords + descriptionWords).joined()) + storyWords }
}

/// Key phrases of a profile, normalised to the vocabulary: a tag is extracted when its
/// phrases carry enough weight (a service title counts 3, a service description 2, the
/// story 1 per mention), at most `limit` of them, heaviest first; then merged with the
/// creator's own tags. Tags in `excluded` (the categories: a tag page must never
/// duplicate a category page) are dropped.
public struct TagExtractor: Sendable {
    public struct Weights: Sendable {
        public var title = 3.0
        public var description = 2.0
        public var story = 1.0
        /// The least weight that makes a tag: one title or description mention, or two in the story.
        public var threshold = 2.0
        public var limit = 6
    }

    public let vocabulary: TagVocabulary
    public var weights = Weights()

    public init(vocabulary: TagVocabulary) {
        self.vocabulary = vocabulary
    }

    /// Only the extracted tags, heaviest first (ties by name).
    public func extract(_ source: TagSource, excluding excluded: Set<String> = []) -> [String] {
        var weight: [String: Double] = [:]
        func add(_ words: [String], _ value: Double) {
            for tag in vocabulary.mentions(in: words) { weight[tag, default: 0] += value }
        }
        for title in source.titleWords { add(title, weights.title) }
        for description in source.descriptionWords { add(description, weights.description) }
        add(source.storyWords, weights.story)
        return weight.filter { $0.value >= weights.threshold && !excluded.contains($0.key) }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(weights.limit).map(\.key)
    }

    /// `tags(for:excluding:)` of many profiles, on every core, in order.
    public func tags(for sources: [TagSource], excluding excluded: Set<String> = []) -> [[String]] {
        ConcurrentMap.map(sources) { tags(for: $0, excluding: excluded) }
    }

    /// The creator's own tags first (as the vocabulary names them, when it does), then the
    /// extracted ones, without repeats.
    public func tags(for source: TagSource, excluding excluded: Set<String> = []) -> [String] {
        var result: [String] = []
        // A set for the repeats: an array search per tag made many tags quadratic.
        var seen: Set<String> = []
        for own in source.ownTags {
            let tag = vocabulary.tag(meaning: own) ?? own
            if !excluded.contains(tag), seen.insert(tag).inserted { result.append(tag) }
        }
        for tag in extract(source, excluding: excluded) where seen.insert(tag).inserted { result.append(tag) }
        return result
    }
}
