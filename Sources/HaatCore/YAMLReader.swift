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

    /// Reports at a line of the whole file (the story's lines, which YAML never saw).
    func report(_ message: String, fileLine: Int) {
        diagnostics.append(ContentDiagnostic(path: path, line: fileLine, message: message))
    }

    /// Composes YAML text into a node tree, reporting a syntax error with its line.
    /// Scalars stay untyped text (the basic resolver: no regular expressions per value,
    /// several times faster); the readers below decide what each key's text must be.
    func compose(_ yaml: String) -> Node? {
        if let line = YAMLAliases.firstLine(in: yaml) {
            report("YAML aliases (*name) are not accepted: write the value out in full", line: line)
            return nil
        }
        do {
            let node = try Yams.compose(yaml: yaml, .basic, .default, .utf8)
            if let node { reportControlCharacters(in: node) }
            return node
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

    /// YAML refuses control characters written as they are, but its escapes (`"\0"`,
    /// `"\x07"`) make them anyway: refused here too, wherever they are.
    private func reportControlCharacters(in root: Node) {
        root.forEachScalar { path, node in
            guard let scalar = node.scalar, let found = ControlCharacters.first(in: scalar.string) else { return }
            report("\(path.isEmpty ? "a key" : path) contains a control character (\(ControlCharacters.name(found.character))): remove it", at: node)
        }
    }
}

extension Node {
    /// Calls `body` with every scalar of the tree (keys included) and where it sits, as
    /// `services[2].title` (lists numbered from 1; a key's own path is its mapping's),
    /// leaving out the values of the root's `skippingKeys`. The tree is as written: YAML
    /// aliases, which could make it stand for billions of nodes, are refused first.
    func forEachScalar(skippingKeys: Set<String> = [], path: String = "", _ body: (String, Node) -> Void) {
        switch self {
        case .scalar:
            body(path, self)
        case .mapping(let mapping):
            for (key, value) in mapping {
                body(path, key)
                let name = key.scalar?.string ?? "?"
                if skippingKeys.contains(name) { continue }
                value.forEachScalar(path: path.isEmpty ? name : "\(path).\(name)", body)
            }
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() { item.forEachScalar(path: "\(path)[\(index + 1)]", body) }
        case .alias:
            return
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
    /// Whether an optional key written with nothing in it (`since: ~`, `area: ""`,
    /// `languages: []`) is an error: in a profile a key is either filled or left out.
    let refusesEmptyValues: Bool
    private var values: [String: Node] = [:]

    /// Returns nil (and reports) when `node` is not a mapping.
    init?(_ node: Node?, context: String, allowed: [String], collector: DiagnosticCollector, parent: Node? = nil,
          refusingEmptyValues: Bool = false) {
        guard let node, let mapping = node.mapping else {
            collector.report("\(context) must be a mapping of keys to values", at: node ?? parent)
            return nil
        }
        self.node = node
        self.context = context
        self.collector = collector
        refusesEmptyValues = refusingEmptyValues
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

    /// Reports a key that has no value: missing when required, else empty when this
    /// mapping refuses empty values and the key was written.
    private func absent(_ key: String, required: Bool) {
        if required {
            missing(key)
        } else if refusesEmptyValues, let written = values[key] {
            empty(key, at: written)
        }
    }

    private func empty(_ key: String, at value: Node) {
        collector.report("\(key) is empty: give it a value or leave the key out", at: value)
    }

    /// A text value, trimmed; reports when required and absent, too long or not a scalar.
    func string(_ key: String, required: Bool = false, maxLength: Int = 200) -> String? {
        guard let value = node(key) else {
            absent(key, required: required)
            return nil
        }
        guard let scalar = value.scalar else {
            collector.report("\(key) must be text", at: value)
            return nil
        }
        let text = scalar.string.trimmedWhitespace
        if text.isEmpty {
            if required {
                collector.report("\(key) must not be empty", at: value)
            } else if refusesEmptyValues {
                empty(key, at: value)
            }
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
        number(key, required: required, range: range, meaning: meaning, Int.init)
    }

    /// A decimal number within `range` (a latitude, a longitude).
    func double(_ key: String, required: Bool = false, range: ClosedRange<Double>) -> Double? {
        number(key, required: required, range: range, meaning: "a number") { Double($0).flatMap { $0.isFinite ? $0 : nil } }
    }

    /// A plain scalar that `parse` reads, within `range`; reports when required and
    /// absent, not `meaning`, or out of range.
    private func number<Number: Comparable>(_ key: String, required: Bool, range: ClosedRange<Number>, meaning: String,
                                            _ parse: (String) -> Number?) -> Number? {
        guard let value = node(key) else {
            absent(key, required: required)
            return nil
        }
        guard let scalar = value.scalar, scalar.style == .plain, let number = parse(scalar.string) else {
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
    /// With `limit`, a longer list is reported at its first entry too many, and only
    /// the entries within the limit are returned (nobody reads the other thousands).
    func list(_ key: String, required: Bool = false, limit: (count: Int, noun: String)? = nil) -> [Node]? {
        guard let value = node(key) else {
            absent(key, required: required)
            return nil
        }
        guard let sequence = value.sequence else {
            collector.report("\(key) must be a list, e.g. \(key): [a, b]", at: value)
            return nil
        }
        if sequence.isEmpty, !required, refusesEmptyValues {
            empty(key, at: value)
            return nil
        }
        if let limit, sequence.count > limit.count {
            let extra = sequence[sequence.index(sequence.startIndex, offsetBy: limit.count)]
            collector.report("\(key) may list at most \(limit.count) \(limit.noun): this is number \(limit.count + 1) of \(sequence.count)", at: extra)
            return Array(sequence.prefix(limit.count))
        }
        return Array(sequence)
    }

    /// A list of short texts.
    func strings(_ key: String, maxLength: Int = 60, limit: (count: Int, noun: String)? = nil) -> [String] {
        guard let items = list(key, limit: limit) else { return [] }
        var result: [String] = []
        for item in items {
            guard let scalar = item.scalar, !Self.isNull(item), !scalar.string.trimmedWhitespace.isEmpty else {
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
