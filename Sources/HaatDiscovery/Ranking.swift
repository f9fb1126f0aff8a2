import Foundation

/// What ranking knows of a creator besides its contacts.
public struct CreatorSignals: Sendable {
    /// Leads received, and how many of them the creator answered (moved away from `new`).
    public var leads: Int
    public var responded: Int
    /// Approved review ratings, 1 to 5.
    public var ratings: [Int]
    /// Profile completeness, 0 to 1 (story, portfolio, services, details).
    public var completeness: Double
    public var verified: Bool

    public init(leads: Int = 0, responded: Int = 0, ratings: [Int] = [], completeness: Double = 0, verified: Bool = false) {
        self.leads = leads
        self.responded = responded
        self.ratings = ratings
        self.completeness = completeness
        self.verified = verified
    }
}

/// The listing score: one formula, its weights here and nowhere else (docs/discovery.md).
///
///     score = 0.30 · demand + 0.20 · responsiveness + 0.30 · rating + 0.15 · profile + 0.05 · verified
///
/// - demand: contacts with exponential time decay (half-life 30 days), Σ ½^(age/30),
///   saturating as 1 − e^(−Σ/8), so a few recent contacts count and a flood does not
///   dominate;
/// - responsiveness: the share of leads answered, smoothed toward the market's share
///   with the weight of 4 leads (a Beta prior), so one lucky answer is not 100 %;
/// - rating: the mean review rating smoothed toward the market's mean with the weight of
///   5 reviews (a Bayesian average), mapped from 1–5 to 0–1;
/// - profile: completeness, 0–1; verified: 1 when an admin verified the creator.
///
/// Every component is in 0…1, so a weight is the most that component can add.
public struct RankingModel: Sendable {
    public struct Weights: Sendable {
        public var demand = 0.30
        public var responsiveness = 0.20
        public var rating = 0.30
        public var profile = 0.15
        public var verified = 0.05
        public var halfLifeDays = 30.0
        public var demandSaturation = 8.0
        public var responsePriorLeads = 4.0
        public var ratingPriorReviews = 5.0
    }

    public var weights = Weights()

    public init() {}

    /// One score per creator (indices as in `signals` and the log's creator numbers), as of `today`.
    public func scores(signals: [CreatorSignals], contacts: ContactLog, today: Double) -> [Double] {
        let w = weights
        var decayed = [Double](repeating: 0, count: signals.count)
        let rate = log(2) / w.halfLifeDays
        for event in contacts.events where Int(event.creator) < decayed.count {
            decayed[Int(event.creator)] += exp(-rate * max(0, today - event.day))
        }
        let totalLeads = signals.reduce(0) { $0 + $1.leads }, totalResponded = signals.reduce(0) { $0 + $1.responded }
        let marketResponse = totalLeads > 0 ? Double(totalResponded) / Double(totalLeads) : 0.5
        let allRatings = signals.reduce(0) { $0 + $1.ratings.count }
        let marketRating = allRatings > 0 ? Double(signals.reduce(0) { $0 + $1.ratings.reduce(0, +) }) / Double(allRatings) : 4.0
        return signals.indices.map { index in
            let s = signals[index]
            let demand = 1 - exp(-decayed[index] / w.demandSaturation)
            let responsiveness = (Double(s.responded) + w.responsePriorLeads * marketResponse) / (Double(s.leads) + w.responsePriorLeads)
            let meanRating = (Double(s.ratings.reduce(0, +)) + w.ratingPriorReviews * marketRating) / (Double(s.ratings.count) + w.ratingPriorReviews)
            let rating = (meanRating - 1) / 4
            return w.demand * demand + w.responsiveness * responsiveness + w.rating * rating
                + w.profile * min(1, max(0, s.completeness)) + w.verified * (s.verified ? 1 : 0)
        }
    }
}
