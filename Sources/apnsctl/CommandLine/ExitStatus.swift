/// apnsctl's exit statuses: a numbered, documented table shown by `--help` and the man page.
enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Every row settled with a final answer about it (delivered, token gone or wrong, duplicate).
    case success = 0
    /// The run finished, but some rows failed, were invalid or were rejected for another reason.
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
            return "Every row is settled with APNs' final answer about it: delivered, rejected because the token is "
                + "gone or wrong (Unregistered, ExpiredToken, BadDeviceToken, DeviceTokenNotForTopic: the prune "
                + "list's business), or skipped as a duplicate (check: every row valid). With --strict, every row "
                + "delivered. With --resume, the whole campaign counts, not only this run. For mock: the server "
                + "stopped cleanly."
        case .undelivered:
            return "The run finished, but rows failed (no answer), were invalid, or were rejected for another "
                + "reason (PayloadTooLarge, TopicDisallowed, ...); with --strict, any row not delivered. The report "
                + "says which. Also when the reader of a report on stdout closed the pipe (--report - piped into "
                + "head): sending stopped there."
        case .usage:
            return "Usage error: a wrong option or value on the command line, or an input that cannot be used "
                + "as given (no header row, no token column, a template or --keep field it does not have, not CSV "
                + "or JSONL), no payload at all, or a report that already holds rows without --resume or --force; "
                + "nothing was sent."
        case .fatal:
            return "Fatal error: an unusable key, certificate or input (a gzip input that fails its check), a TLS, "
                + "proxy or connection failure, credentials refused or the tokens of the other environment (rows "
                + "answered so are left out of the report for --resume), another apnsctl writing the same report, "
                + "a report that cannot be written, or a --summary-json or --metrics-file that could not be "
                + "written. The report is consistent for the rows that settled."
        case .interrupted:
            return "Interrupted by SIGINT (Ctrl-C); the report is consistent for the rows that settled."
        case .terminated:
            return "Terminated by SIGTERM; the report is consistent for the rows that settled."
        }
    }
}
