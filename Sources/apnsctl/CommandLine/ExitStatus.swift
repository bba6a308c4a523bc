/// apnsctl's exit statuses: a numbered, documented table shown by `--help` and the man page.
enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Every row was delivered.
    case success = 0
    /// The run finished, but some rows were not delivered.
    case undelivered = 1
    /// The command line was wrong, or the input cannot be used as given; nothing was sent.
    case usage = 2
    /// The run could not go on; the report is consistent for the rows that settled.
    case fatal = 3
    /// Interrupted by SIGINT (Ctrl-C).
    case interrupted = 130
    /// Terminated by SIGTERM.
    case terminated = 143

    /// One line for help and the man page.
    var meaning: String {
        switch self {
        case .success:
            return "Every row was delivered (for mock: the server stopped cleanly)."
        case .undelivered:
            return "The run finished, but some rows were not delivered (rejected, failed or invalid); "
                + "the report says which. Also when the reader of a report on stdout closed the pipe "
                + "(--report - piped into head): sending stopped there."
        case .usage:
            return "Usage error: a wrong option or value on the command line, or an input that cannot be used "
                + "as given (no header row, no token column); nothing was sent."
        case .fatal:
            return "Fatal error: an unusable key, certificate or input, a TLS, proxy or connection failure, "
                + "credentials refused, or a --summary-json or --metrics-file that could not be written. The "
                + "report is consistent for the rows that settled."
        case .interrupted:
            return "Interrupted by SIGINT (Ctrl-C); the report is consistent for the rows that settled."
        case .terminated:
            return "Terminated by SIGTERM; the report is consistent for the rows that settled."
        }
    }
}
