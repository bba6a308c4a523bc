/// How a connection of the mock behaves before its first request: served as APNs would, or one of the ways a
/// broken server fails a client at the connection level (`apnsctl mock --close-on-connect`, `--goaway-on-connect`,
/// `--no-settings`, `--stall handshake|read`). One value for the whole server; each connection asks it what to do
/// at each step.
///
/// ```
///              accept                       TLS handshake done (ALPN h2)
///  .serve            → handshake             → SETTINGS, serve requests
///  .closeOnConnect   → handshake             → TLS close_notify + TCP FIN, nothing sent (client input discarded)
///  .goAwayOnConnect  → handshake             → SETTINGS, then GOAWAY(last-stream-id 0): no request is processed
///  .noSettings       → handshake             → nothing is ever sent; client input read and discarded
///  .stallReads       → handshake             → SETTINGS, then the socket is never read again
///  .stallHandshake   → bytes read, discarded (the handshake never answers)
/// ```
public enum ConnectionOpening: Sendable, Equatable, CaseIterable {
    case serve
    case closeOnConnect
    case goAwayOnConnect
    case noSettings
    case stallReads
    case stallHandshake

    /// What to do with a connection just accepted.
    public enum AcceptStep: Sendable, Equatable {
        /// Run the TLS handshake.
        case handshake
        /// Read and discard raw bytes until the client closes: the handshake never progresses.
        case discardRawInput
    }

    /// What to do once the TLS handshake completed with ALPN h2.
    public enum HandshakeStep: Sendable, Equatable {
        /// Start the HTTP/2 session (SETTINGS first) and serve requests.
        case serve
        /// TLS close_notify and TCP FIN at once.
        case close
        /// Start the HTTP/2 session, then send GOAWAY with last-stream-id 0.
        case serveThenGoAway
        /// No HTTP/2 session: send nothing, read and discard what the client sends.
        case discardInput
        /// Start the HTTP/2 session, write its SETTINGS, then never read the socket again.
        case sendSettingsThenStopReading
    }

    public var onAccept: AcceptStep {
        self == .stallHandshake ? .discardRawInput : .handshake
    }

    /// nil for `.stallHandshake`: its handshake never completes.
    public var onHandshake: HandshakeStep? {
        switch self {
        case .serve: return .serve
        case .closeOnConnect: return .close
        case .goAwayOnConnect: return .serveThenGoAway
        case .noSettings: return .discardInput
        case .stallReads: return .sendSettingsThenStopReading
        case .stallHandshake: return nil
        }
    }
}
