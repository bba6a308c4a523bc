import Foundation

/// stderr shared by the progress line and the `-v` events: an event first erases the progress line, so
/// the two never end up on one line; the next tick draws the progress line again below it.
final class StatusLine: @unchecked Sendable {
    private let lock = NSLock()
    private var drawn = false

    /// Replaces the progress line with `text` (no newline).
    func draw(_ text: String) {
        lock.withLock {
            Output.standardError(ProgressLine.erase + text)
            drawn = true
        }
    }

    /// Prints whole lines of text, erasing the progress line first if it is drawn.
    func print(_ text: String) {
        lock.withLock {
            Output.standardError((drawn ? ProgressLine.erase : "") + text)
            drawn = false
        }
    }

    /// Erases the progress line (before the summary), if it is drawn.
    func clear() {
        lock.withLock {
            if drawn { Output.standardError(ProgressLine.erase) }
            drawn = false
        }
    }
}

/// What apnsctl asks of the terminal on stderr.
enum TerminalInfo {
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Columns of the terminal on stderr; else `$COLUMNS`; else 80.
    static func stderrWidth(environment: [String: String]) -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = environment["COLUMNS"].flatMap({ Int($0) }), columns > 0 { return columns }
        return 80
    }

    /// Whether the progress line is drawn: `--progress always` or `auto` on a terminal, never with `--quiet`.
    /// Never while report lines go to the same terminal (`--report -`): the two would interleave.
    static func showsProgress(_ mode: ProgressMode, quiet: Bool, isTerminal: Bool, reportOnTerminal: Bool = false) -> Bool {
        if quiet || reportOnTerminal { return false }
        switch mode {
        case .always: return true
        case .never: return false
        case .auto: return isTerminal
        }
    }
}
