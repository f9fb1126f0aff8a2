import Foundation

/// The offline metrics discovery is judged by.
public enum Metrics {
    /// Precision, recall and F1 of predicted label sets against expected ones, micro-averaged
    /// (every label of every item counts once).
    public struct PrecisionRecall: Sendable, CustomStringConvertible {
        public let truePositives: Int
        public let predicted: Int
        public let expected: Int

        public var precision: Double { predicted == 0 ? 0 : Double(truePositives) / Double(predicted) }
        public var recall: Double { expected == 0 ? 0 : Double(truePositives) / Double(expected) }
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        public var description: String { String(format: "precision %.3f  recall %.3f  F1 %.3f", precision, recall, f1) }
    }

    public static func precisionRecall(predicted: [[String]], expected: [[String]]) -> PrecisionRecall {
        var hits = 0, predictedCount = 0, expectedCount = 0
        for (guess, truth) in zip(predicted, expected) {
            let guessSet = Set(guess), truthSet = Set(truth)
            hits += guessSet.intersection(truthSet).count
            predictedCount += guessSet.count
            expectedCount += truthSet.count
        }
        return PrecisionRecall(truePositives: hits, predicted: predictedCount, expected: expectedCount)
    }

    /// NDCG@k of an ordering: gains (linear: a creator's held-out contacts) in the order
    /// ranked, against the best possible order.
    public static func ndcg(rankedGains: [Double], k: Int) -> Double {
        func dcg(_ gains: [Double]) -> Double {
            gains.prefix(k).enumerated().reduce(0) { $0 + $1.element / log2(Double($1.offset) + 2) }
        }
        let ideal = dcg(rankedGains.sorted(by: >))
        return ideal > 0 ? dcg(rankedGains) / ideal : 0
    }
}
