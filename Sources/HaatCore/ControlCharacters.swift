/// The characters YAML does not allow written as they are (outside its printable set:
/// C0 controls other than tab, line feed and carriage return, DEL, C1 controls other
/// than NEL, and U+FFFE/U+FFFF). A YAML escape (`"\0"`) still produces them, and so can
/// a Markdown story; no profile needs one, and a NUL truncates text in C libraries and
/// some databases.
public enum ControlCharacters {
    public static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F: true
        case 0x85: false
        case 0x80...0x9F: true
        case 0xFFFE, 0xFFFF: true
        default: false
        }
    }

    /// The first refused character of `text` and its UTF-8 offset. Reads bytes: every
    /// value and story of every profile passes through here on each import.
    public static func first(in text: String) -> (character: Unicode.Scalar, offset: Int)? {
        var text = text
        return text.withUTF8 { bytes -> (character: Unicode.Scalar, offset: Int)? in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x80 {
                    if isRefused(Unicode.Scalar(byte)) { return (Unicode.Scalar(byte), index) }
                } else if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]), bytes[index + 1] != 0x85 {
                    return (Unicode.Scalar(bytes[index + 1]), index)
                } else if byte == 0xEF, index + 2 < bytes.count, bytes[index + 1] == 0xBF, bytes[index + 2] >= 0xBE {
                    return (bytes[index + 2] == 0xBE ? "\u{FFFE}" : "\u{FFFF}", index)
                }
                index += 1
            }
            return nil
        }
    }

    /// `U+0000` for a message: the character itself would not show.
    public static func name(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
