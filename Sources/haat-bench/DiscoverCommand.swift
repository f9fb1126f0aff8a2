import ArgumentParser
import Foundation
import HaatDiscovery

/// `haat discover eval` (each part of discovery against its baseline, on held-out data)
/// and `haat discover bench` (discovery's time and memory for a big marketplace).
struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Offline evaluation and benchmark of discovery (tags, ranking, recommendations).",
        subcommands: [Evaluate.self, Bench.self]
    )

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "eval", abstract: "Print each discovery metric against its baseline.")

        @Option(help: "The folder with the hand-labelled tag set (tags-labelled.jsonl).")
        var data: String = "discovery"
        @Option(help: "The simulation's seed (weights were tuned on seed 7; the figures reported use 2026).")
        var seed: UInt64 = 2026

        func run() async throws {
            let path = data + "/tags-labelled.jsonl"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("\(path) is missing: run from the repository root, or give --data")
            }
            let vocabulary = try TagVocabulary.bundled()
            let profiles = try DiscoveryEvaluation.labelledProfiles(text)
            let tags = DiscoveryEvaluation.tags(profiles, vocabulary: vocabulary, categories: Set(profiles.map(\.category)))
            let market = SimulatedMarketplace.generate(seed: seed)
            let ranking = DiscoveryEvaluation.ranking(market)
            let recommendations = DiscoveryEvaluation.recommendations(market, recommender: Recommender(stopWords: vocabulary.stopWords))

            print("Discovery, offline evaluation (deterministic; docs/discovery.md explains each figure)")
            print("Tags: \(tags.profiles) hand-labelled profiles (\(path)), \(vocabulary.tags.count) vocabulary tags")
            print("  extractor                          \(tags.extractor)")
            print("  baseline: 3 most frequent words    \(tags.baseline)")
            print("Ranking: simulated marketplace, \(market.creators.count) creators, \(ranking.listings) listings, "
                  + "\(market.training.count) training and \(ranking.heldOutContacts) held-out contacts")
            print(String(format: "  NDCG@10  score %.3f   most contacts %.3f   newest first %.3f", ranking.model, ranking.mostContacts, ranking.newestFirst))
            print("Recommendations: \(recommendations.pairs) held-out co-contact pairs")
            print(String(format: "  hit rate@5  similar creators %.3f   popular in category and city %.3f",
                         recommendations.recommender, recommendations.popularBaseline))
            let beaten = [tags.extractor.f1 > tags.baseline.f1, ranking.model > ranking.mostContacts && ranking.model > ranking.newestFirst,
                          recommendations.recommender > recommendations.popularBaseline]
            print("Every part beats its baseline: \(beaten.allSatisfy { $0 } ? "yes" : "NO")")
        }
    }

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time discovery on a synthetic marketplace and report its memory.")

        @Option(help: "How many creators.")
        var creators: Int = 10_000
        @Option(help: "How many contact events.")
        var contacts: Int = 1_000_000

        func run() async throws {
            let workload = DiscoveryWorkload.generate(creators: creators, contacts: contacts)
            let before = Self.memory()
            let vocabulary = try TagVocabulary.bundled()
            let clock = ContinuousClock()
            var tagged: [[String]] = []
            let tagTime = clock.measure {
                let extractor = TagExtractor(vocabulary: vocabulary)
                tagged = extractor.tags(for: workload.tagSources)
            }
            var scores: [Double] = []
            let rankTime = clock.measure {
                scores = RankingModel().scores(signals: workload.signals, contacts: workload.contacts, today: 365)
            }
            var similar: [[Int]] = []
            let recommendTime = clock.measure {
                similar = Recommender(stopWords: vocabulary.stopWords).similar(workload.documents, contacts: workload.contacts, count: 8)
            }
            let peak = Self.memory()
            let total = tagTime + rankTime + recommendTime
            print("Discovery for \(creators) creators and \(contacts) contact events (\(tagged.count) tagged, \(scores.count) scored, "
                  + "\(similar.filter { !$0.isEmpty }.count) with similar creators):")
            print(String(format: "  tags %.2f s   ranking %.2f s   recommendations %.2f s   total %.2f s (target < 2 s)",
                         Self.seconds(tagTime), Self.seconds(rankTime), Self.seconds(recommendTime), Self.seconds(total)))
            print(String(format: "  memory: %.0f MB peak for the process, %.0f MB above the workload itself (target < 500 MB)",
                         peak.peak, max(0, peak.peak - before.resident)))
        }

        static func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }

        /// Resident and peak resident memory of this process, in MB (/proc/self/status).
        static func memory() -> (resident: Double, peak: Double) {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
            func value(_ key: String) -> Double {
                guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
                return (Double(line.split(separator: " ").dropFirst().first { Double($0) != nil } ?? "0") ?? 0) / 1024
            }
            return (value("VmRSS"), value("VmHWM"))
        }
    }
}
