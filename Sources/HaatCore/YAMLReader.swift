import Foundation
import Yams

/// Collects diagnostics while reading one YAML document, translating YAML line
/// numbers into lines of the file the document sits in (front matter starts on line 2).
final class DiagnosticCollector {
    let path: String
    let lineOffset: Int
    private(set) var diagnostics: [ContentDiagnostic] = []

    init(path: String, lineOffset: Int = 0) {
        self.path = path
        self.lineOffset = lineOffset
    }

    func report(_ message: String, at node: Node?) {
        report(message, line: node?.mark?.line ?? 1)
    }

    func report(_ message: String, line: Int) {
        diagnostics.append(ContentDiagnostic(path: path, line: line + lineOffset, message: message))
    }

    /// Composes YAML text into a node tree, reporting a syntax error with its line.
    /// Scalars stay untyped text (the basic resolver: no regular expressions per value,
    /// several times faster); the readers below decide what each key's text must be.
    func compose(_ yaml: String) -> Node? {
        do {
            return try Yams.compose(yaml: yaml, .basic, .default, .utf8)
        } catch let error as YamlError {
            switch error {
            case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
                 let .composer(context, problem, mark, _):
                let detail = context.map { "\($0.text) " } ?? ""
                report("invalid YAML: \(detail)\(problem)", line: mark.line)
            case let .duplicatedKeysInMapping(duplicates, context):
                report("duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", "))", line: context.mark.line)
            default:
                report("invalid YAML: \(error)", line: 1)
            }
            return nil
        } catch {
            report("invalid YAML: \(error)", line: 1)
            return nil
        }
    }
}

/// The keys of one YAML mapping, checked against the keys allowed there. Unknown keys
/// are reported with a did-you-mean hint; typed getters report wrong types with the
/// value's own line.
struct MappingReader {
    let node: Node
    let context: String
    let collector: DiagnosticCollector
    private var values: [String: Node] = [:]

    /// Returns nil (and reports) when `node` is not a mapping.
    init?(_ node: Node?, context: String, allowed: [String], collector: DiagnosticCollector, parent: Node? = nil) {
        guard let node, let mapping = node.mapping else {
            collector.report("\(context) must be a mapping of keys to values", at: node ?? parent)
            return nil
        }
        self.node = node
        self.context = context
        self.collector = collector
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                collector.report("\(context): keys must be text", at: key)
                continue
            }
            if allowed.contains(name) {
                values[name] = value
            } else {
                collector.report("unknown key \"\(name)\" in \(context)\(Suggestion.hint(for: name, in: allowed))", at: key)
            }
        }
    }

    func has(_ key: String) -> Bool { values[key].map { !Self.isNull($0) } ?? false }
    func node(_ key: String) -> Node? { values[key].flatMap { Self.isNull($0) ? nil : $0 } }
    var line: Int { node.mark?.line ?? 1 }

    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func missing(_ key: String) {
        collector.report("\(context) is missing \"\(key)\"", line: line)
    }

    /// A text value, trimmed; reports when required and absent, too long or not a scalar.
    func string(_ key: String, required: Bool = false, maxLength: Int = 200) -> String? {
        guard let value = node(key) else {
            if required { missing(key) }
            return nil
        }
        guard let scalar = value.scalar else {
            collector.report("\(key) must be text", at: value)
            return nil
        }
        let text = scalar.string.trimmedWhitespace
        if text.isEmpty {
            if required { collector.report("\(key) must not be empty", at: value) }
            return nil
        }
        if text.count > maxLength {
            collector.report("\(key) is too long (\(text.count) characters, at most \(maxLength))", at: value)
            return nil
        }
        return text
    }

    /// A whole number within `range`.
    func int(_ key: String, required: Bool = false, range: ClosedRange<Int>, meaning: String = "a whole number") -> Int? {
        guard let value = node(key) else {
            if required { missing(key) }
            return nil
        }
        guard let scalar = value.scalar, scalar.style == .plain, let number = Int(scalar.string) else {
            collector.report("\(key) must be \(meaning), not \"\(value.scalar?.string ?? "a list or mapping")\"", at: value)
            return nil
        }
        guard range.contains(number) else {
            collector.report("\(key) must be between \(range.lowerBound) and \(range.upperBound), not \(number)", at: value)
            return nil
        }
        return number
    }

    /// A list of nodes (a single scalar is not accepted: lists are written `[a, b]`).
    func list(_ key: String, required: Bool = false) -> [Node]? {
        guard let value = node(key) else {
            if required { missing(key) }
            return nil
        }
        guard let sequence = value.sequence else {
            collector.report("\(key) must be a list, e.g. \(key): [a, b]", at: value)
            return nil
        }
        return Array(sequence)
    }

    /// A list of short texts.
    func strings(_ key: String, maxLength: Int = 60) -> [String] {
        guard let items = list(key) else { return [] }
        var result: [String] = []
        for item in items {
            guard let scalar = item.scalar, !scalar.string.trimmedWhitespace.isEmpty else {
                collector.report("each entry of \(key) must be text", at: item)
                continue
            }
            let text = scalar.string.trimmedWhitespace
            if text.count > maxLength {
                collector.report("an entry of \(key) is too long (at most \(maxLength) characters)", at: item)
                continue
            }
            result.append(text)
        }
        return result
    }
}

extension String {
    /// Without leading and trailing white space (ASCII and Unicode), cheaply when there is none.
    var trimmedWhitespace: String {
        guard let first = first, let last = last, first.isWhitespace || last.isWhitespace else { return self }
        guard let start = firstIndex(where: { !$0.isWhitespace }), let end = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[start...end])
    }
}
