// Yams' own copy of libyaml, for its event parser: Yams composes a whole tree at once,
// and cannot be asked first whether a document holds aliases.
import CYaml

/// Finds YAML aliases (`*name`) before a document is composed. An alias repeats an
/// anchored node, so ten short lines of aliases of aliases stand for ten billion nodes;
/// Yams checks each mapping's keys for duplicates by hashing them whole, and an alias
/// used as a key (`*a9 : x`) took minutes of CPU per request (2.3 s at six levels,
/// ten times more for each one more). No content file needs aliases, so none is accepted.
enum YAMLAliases {
    /// The 1-based line of the document's first alias, or nil when it has none (or its
    /// syntax fails first, which composing then reports).
    static func firstLine(in yaml: String) -> Int? {
        // Most documents have no '*' at all: nothing to parse twice.
        guard yaml.utf8.contains(UInt8(ascii: "*")) else { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(yaml.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> Int? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_ALIAS_EVENT: return Int(event.start_mark.line) + 1
                case YAML_STREAM_END_EVENT: return nil
                default: continue
                }
            }
            return nil
        }
    }
}
