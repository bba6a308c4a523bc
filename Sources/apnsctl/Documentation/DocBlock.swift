/// Static documentation prose, kept as structure so the man page renderer can escape it.
/// Inline markup: `code` (rendered bold in the man page, plain in help).
enum DocBlock: Sendable, Equatable {
    case paragraph(String)
    /// Term/description pairs (`.TP` in roff).
    case definitions([Definition])
    /// Preformatted lines (examples, file contents).
    case literal(String)

    struct Definition: Sendable, Equatable {
        var term: String
        var text: String
        init(_ term: String, _ text: String) {
            self.term = term
            self.text = text
        }
    }
}

/// A man page section of static prose.
struct DocSection: Sendable, Equatable {
    var title: String
    var blocks: [DocBlock]
}

/// roff escaping for man pages: every `-` becomes `\-` (so option names copy and search as
/// ASCII hyphen-minus), `\` becomes `\e`, and a line starting with `.` or `'` gets `\&`.
enum Roff {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "\\": out += "\\e"
            case "-": out += "\\-"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Escapes, then turns `code` into bold.
    static func inline(_ text: String) -> String {
        var out = ""
        var bold = false
        for part in escape(text).split(separator: "`", omittingEmptySubsequences: false) {
            out += part
            out += bold ? "\\fR" : "\\fB"
            bold.toggle()
        }
        // Drop the marker added after the last part.
        out.removeLast(3)
        return out
    }

    /// A text line that cannot be mistaken for a request.
    static func textLine(_ text: String) -> String {
        text.hasPrefix(".") || text.hasPrefix("'") ? "\\&" + text : text
    }

    /// A section heading argument: quoted only when it has spaces (`.SH "EXIT STATUS"`, `.SH FILES`).
    static func heading(_ text: String) -> String {
        text.contains(" ") ? quoted(text) : escape(text)
    }

    /// A quoted macro argument (`.SH "EXIT STATUS"`).
    static func quoted(_ text: String) -> String {
        "\"" + escape(text).split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\\(dq") + "\""
    }
}
