import COpenSSL

/// A failed OpenSSL call: what apnsctl was doing, plus every entry OpenSSL had queued on this thread.
///
/// OpenSSL keeps a per-thread error queue; `drain(_:)` empties it so a later failure does not
/// report stale entries. The queue holds library/reason text only, never key material.
public struct OpenSSLError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What apnsctl was doing, e.g. "signing the provider token".
    public let context: String
    /// One line per queued OpenSSL error, oldest first (e.g. "error:1E08010C:DECODER routines::unsupported").
    public let entries: [String]
    /// The packed OpenSSL error codes behind `entries` (for callers that tell some reasons apart).
    public let codes: [UInt]

    public init(context: String, entries: [String], codes: [UInt] = []) {
        self.context = context
        self.entries = entries
        self.codes = codes
    }

    /// Empties this thread's OpenSSL error queue into one error.
    public static func drain(_ context: String) -> OpenSSLError {
        var entries: [String] = []
        var codes: [UInt] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            // Bound the loop: a queue never holds more than ERR_NUM_ERRORS (16) entries.
            if entries.count >= 32 { continue }
            codes.append(code)
            buffer.withUnsafeMutableBufferPointer { ERR_error_string_n(code, $0.baseAddress, $0.count) }
            entries.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return OpenSSLError(context: context, entries: entries, codes: codes)
    }

    /// Throws away whatever this thread's error queue holds (after an expected failure).
    public static func clearQueue() {
        ERR_clear_error()
    }

    public var description: String {
        entries.isEmpty ? context : "\(context): \(entries.joined(separator: "; "))"
    }
}
