/// Text from outside (a server's GOAWAY debug data, a reason in an answer or a report, a file name) made safe to
/// print for people: a control character would let a server move the cursor, rewrite the screen or set the
/// window title of the user's terminal. JSON output escapes them already; this is for everything else.
public enum TerminalText {
    /// `text` with C0 and C1 control characters, DEL and the bidirectional overrides written as `\xHH` /
    /// `\u{HHHH}`, and the backslash doubled so that an escape cannot be forged. Other text is left as it is.
    public static func escape(_ text: some StringProtocol) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return String(text) }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if scalar == "\\" {
                out += "\\\\"
            } else if needsEscape(scalar) {
                let hex = String(scalar.value, radix: 16)
                out += scalar.value < 0x100
                    ? "\\x" + (hex.count == 1 ? "0" : "") + hex
                    : "\\u{" + hex + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes each line of `text` on its own, keeping its line breaks (a block of several lines).
    public static func escapeLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { escape($0) }.joined(separator: "\n")
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true   // bidirectional overrides reorder what is shown
        default: return false
        }
    }
}
