import PushCore

/// `apnsctl mock --goaway-after N[:REASON]`: GOAWAY after N requests on a connection.
public struct MockGoAwayRule: Sendable, Equatable {
    /// Requests a connection takes on before the GOAWAY (at least 1).
    public var afterRequests: Int
    /// The reason in the GOAWAY debug data `{"reason":"…"}`.
    public var reason: String

    public init(afterRequests: Int, reason: String = Reason.shutdown.rawValue) {
        self.afterRequests = afterRequests
        self.reason = reason
    }
}

/// How `dropAfter` / `dropEvery` end a connection (`apnsctl mock --drop-mode`). Neither sends GOAWAY or TLS
/// close_notify.
public enum MockDropMode: Sendable, Equatable {
    /// TCP FIN after the last answer, then what the client sends is read and discarded until it closes (or a
    /// second passes). The client always reads every answer written.
    case close
    /// TCP RST right after the last answer is written. A client busy writing may see the reset before it reads
    /// the last answers.
    case reset
}

/// Everything `MockServer` needs besides its TLS identity. Plain values, built by `apnsctl mock` from its options.
public struct MockConfiguration: Sendable {
    /// Where to listen; port 0 picks a free port (`MockServer.start()` returns it).
    public var listen: Endpoint
    /// SETTINGS_MAX_CONCURRENT_STREAMS announced after a connection's first accepted request (before it: 1);
    /// 0 allows no stream at all, ever.
    public var maxStreams: Int
    /// Canned answers by token prefix; the longest matching prefix wins.
    public var responseRules: [MockResponseRule]
    /// Token authentication: requests need `authorization: bearer <JWT>` (else 403 MissingProviderToken), and
    /// connections allow one stream until the first accepted request. False models certificate auth.
    public var requireProviderToken: Bool
    /// Checks a JWT: nil result means valid, else the APNs reason to answer (403, or 429 for
    /// TooManyProviderTokenUpdates). Without a verifier any non-empty bearer token is accepted.
    /// Called on the server thread for every request: cache inside if verifying is costly.
    public var tokenVerifier: (@Sendable (String) -> Reason?)?
    /// JSONL request log (truncated at start); nil turns logging off.
    public var logPath: String?
    /// Suppresses the server's notes on stderr (failed handshakes, peers without h2).
    public var quiet: Bool

    /// The APNs environment the mock stands for: a sandbox mock sends `apns-unique-id` on accepted requests, a
    /// production one does not (as APNs does). Its channel store is that environment's.
    public var environment = APNsEnvironment.sandbox

    // MARK: Misbehaviour on purpose (tests of a client's resilience)

    /// GOAWAY after this many requests on each connection; nil: never.
    public var goAway: MockGoAwayRule?
    /// GOAWAY on the connection that carries every Nth request of the server (counted over all connections);
    /// nil: never. A connection already going away sends no second GOAWAY. With `goAway` too, its reason is used.
    public var goAwayEvery: MockGoAwayRule?
    /// Drop each connection (see `dropMode`) once this many requests on it have been answered; nil: never.
    public var dropAfter: Int?
    /// Drop the connection that carries every Nth request of the server (counted over all connections), once
    /// that request is answered; nil: never.
    public var dropEvery: Int?
    public var dropMode: MockDropMode
    /// Requests for tokens starting with one of these (lowercase hex) are never answered; their streams stay open.
    public var silentPrefixes: [String]
    /// Every answer waits this long (milliseconds) after its request arrived; 0: answer at once.
    public var latencyMs: Int
    /// Otherwise-accepted requests answered 500 InternalServerError; nil: none.
    public var failureRate: FailureRate?
    /// After a rejected request, a connection's stream limit falls to 1 until the next accepted one (as APNs does).
    public var dropStreamsOnRejection: Bool
    /// The first request with the first provider token the server sees gets 403 ExpiredProviderToken (as if that
    /// token had aged out); later tokens are accepted.
    public var expireProviderTokenOnce: Bool
    /// PEM file of CA certificates: clients must present a certificate issued by one of them, or the handshake
    /// fails. nil: no client certificate is asked for.
    public var clientCertificateCAFile: String?
    /// JSON summary written when the server stops (`MockStatistics.json`); nil: none.
    public var statsPath: String?
    /// What a connection does before its first request (`--close-on-connect`, `--stall handshake`, …).
    public var opening: ConnectionOpening
    /// A timed server-wide outage (`--outage`); nil: none.
    public var outage: MockOutage?
    /// Raw `timestamp` texts for error answers (`--timestamp PREFIX=TEXT`).
    public var timestampRules: [MockTimestampRule]
    /// Broadcast channels: the management port, `/4/broadcasts` and their canned answers.
    public var broadcast = MockBroadcastConfiguration()

    public init(listen: Endpoint = Endpoint(host: "127.0.0.1", port: 2197), maxStreams: Int = 1000,
                responseRules: [MockResponseRule] = [], requireProviderToken: Bool = true,
                tokenVerifier: (@Sendable (String) -> Reason?)? = nil, logPath: String? = nil, quiet: Bool = false,
                goAway: MockGoAwayRule? = nil, goAwayEvery: MockGoAwayRule? = nil, dropAfter: Int? = nil,
                dropEvery: Int? = nil, dropMode: MockDropMode = .close, silentPrefixes: [String] = [],
                latencyMs: Int = 0, failureRate: FailureRate? = nil, dropStreamsOnRejection: Bool = false,
                expireProviderTokenOnce: Bool = false, clientCertificateCAFile: String? = nil,
                statsPath: String? = nil, opening: ConnectionOpening = .serve, outage: MockOutage? = nil,
                timestampRules: [MockTimestampRule] = []) {
        self.listen = listen
        self.maxStreams = maxStreams
        self.responseRules = responseRules
        self.requireProviderToken = requireProviderToken
        self.tokenVerifier = tokenVerifier
        self.logPath = logPath
        self.quiet = quiet
        self.goAway = goAway
        self.goAwayEvery = goAwayEvery
        self.dropAfter = dropAfter
        self.dropEvery = dropEvery
        self.dropMode = dropMode
        self.silentPrefixes = silentPrefixes
        self.latencyMs = latencyMs
        self.failureRate = failureRate
        self.dropStreamsOnRejection = dropStreamsOnRejection
        self.expireProviderTokenOnce = expireProviderTokenOnce
        self.clientCertificateCAFile = clientCertificateCAFile
        self.statsPath = statsPath
        self.opening = opening
        self.outage = outage
        self.timestampRules = timestampRules
    }
}
