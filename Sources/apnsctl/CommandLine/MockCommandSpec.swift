import PushCore

/// Defaults of `apnsctl mock`; the parser and the help text both read them from here.
enum MockDefaults {
    static let listen = Endpoint(host: "127.0.0.1", port: 2197)
    static let maxStreams = 1000
    static let maxStreamsRange = 0...Int(Int32.max)
    static let respondStatusRange = 400...599
    static let countRange = 1...Int(Int32.max)
    static let seed = 1
    static let seedRange = 0...Int.max
    static let streamDrop = "on"
    static let dropMode = "close"
    static let providerTokenMaxAgeMs = 3_600_000
    static let goAwayReason = "Shutdown"
    static let outageMode = "503"
}

extension OptionSpec {
    enum Mock {
        static let listen = OptionSpec(
            "listen", short: "l", value: "HOST:PORT", category: .server,
            summary: "Address to listen on; port 0 picks a free port",
            longHelp: ["An IPv6 address goes in brackets: [::1]:0."],
            defaultText: MockDefaults.listen.description)
        static let environment = OptionSpec(
            "environment", value: "ENV", category: .server,
            summary: "The APNs environment the mock stands for: sandbox or production",
            longHelp: ["As APNs does, a sandbox mock answers an accepted request with apns-unique-id (the report's "
                + "apns_unique_id) and a production one without it. Apple runs the two environments as separate "
                + "services with separate channels: run one mock per environment to test both, e.g. channels "
                + "created on the sandbox mock are unknown to the production one (ChannelNotRegistered)."],
            defaultText: "sandbox",
            completion: .choices(APNsEnvironment.allCases.map(\.rawValue)))
        static let portFile = OptionSpec(
            "port-file", value: "FILE", category: .server,
            summary: "Write the port actually listened on to FILE once ready",
            longHelp: ["Useful with port 0: a script waits for the file, then reads the port."],
            completion: .file)
        static let maxStreams = OptionSpec(
            "max-streams", value: "N", category: .server,
            summary: "SETTINGS_MAX_CONCURRENT_STREAMS announced to clients",
            longHelp: ["0 allows no stream at all, ever: a broken server whose client must give up within its own "
                + "timeouts."],
            defaultText: String(MockDefaults.maxStreams))
        static let log = OptionSpec(
            "log", value: "FILE", category: .server,
            summary: "Append one line per request and its answer to FILE",
            longHelp: ["One JSON object per line: time_ms, connection (numbered from 1), stream, attempt (how many "
                + "requests for this token the mock has seen, this one included), method, token, topic, "
                + "push_type, priority, expiration, collapse_id, apns_id, payload_size, payload, status, reason. "
                + "Never the authorization header. A request left unanswered on purpose (--silent) has status "
                + "null. Broadcasts and management requests log path, operation (create, read, delete, list, "
                + "broadcast) and channel_id, and apns_id holds the apns-request-id answered."],
            completion: .file)
        static let stats = OptionSpec(
            "stats", value: "FILE", category: .server,
            summary: "Write a JSON summary of what the mock did to FILE when it stops",
            longHelp: ["One JSON object: requests (taken on), accepted, rejected, rejected_by_reason (a count per "
                + "reason), silenced, unanswered (taken on, never answered: the connection went away first), "
                + "ignored (arrived after the connection's GOAWAY or drop was decided; depends on timing), "
                + "connections (accepted), handshakes (TLS handshakes completed with HTTP/2), goaways, drops, "
                + "stream_limit_drops, tls_failures, client_certificates_refused, "
                + "tokens_accepted_more_than_once (distinct tokens answered 200 more than once), late_answers "
                + "(answers sent after the answer to a request at least 1,000 newer on the same connection; "
                + "stream ids count requests in the client's order), max_reorder (the most requests any answer "
                + "came behind, on any connection) and max_reorder_by_connection (the same per connection "
                + "number, for the first 100 connections with any); broadcast: manage_connections, "
                + "channels_created, channels_read, channels_deleted, channels_listed, management_rejected and "
                + "broadcasts_accepted, broadcasts_rejected, each rejected count also by reason. "
                + "The file is created when the mock starts and written when it stops (SIGINT, SIGTERM)."],
            completion: .file)
        static let tlsCert = OptionSpec(
            "tls-cert", value: "PEM", category: .tls,
            summary: "Serve this certificate chain (needs --tls-key)",
            longHelp: ["Without --tls-cert and --tls-key the mock makes a throwaway CA and a certificate "
                + "for the listen address."],
            completion: .file)
        static let tlsKey = OptionSpec(
            "tls-key", value: "PEM", category: .tls,
            summary: "The private key of --tls-cert",
            completion: .file)
        static let requireClientCert = OptionSpec(
            "require-client-cert", value: "PEM", category: .tls,
            summary: "Require a TLS client certificate issued by a CA in PEM (certificate auth)",
            longHelp: ["A client without a certificate, or with one that does not verify against PEM (another CA, "
                + "expired), fails the handshake. With TLS 1.3 the client has finished its side of the handshake "
                + "before the mock checks the certificate: the refusal reaches it as an alert (unknown CA, "
                + "certificate required) on its first read, as from APNs. The mock notes each refusal and "
                + "--stats counts them (client_certificates_refused). Requests then need no provider token, and "
                + "connections allow --max-streams streams from the start, as APNs does with certificate auth. "
                + "Not with --auth-key."],
            completion: .file)
        static let writeCA = OptionSpec(
            "write-ca", value: "FILE", category: .tls,
            summary: "Write the throwaway CA certificate to FILE, for a client's --ca-file",
            longHelp: ["Not with --tls-cert: a certificate you bring has its own CA."],
            completion: .file)
        static let authKey = OptionSpec(
            "auth-key", value: "FILE", category: .credentials,
            summary: "Check provider tokens against this key (.p8 or public .pem)",
            longHelp: ["Needs --key-id and --team-id. Without it, any well-formed provider token is accepted."],
            completion: .file)
        static let keyID = OptionSpec(
            "key-id", value: "ID", category: .credentials,
            summary: "The key ID that provider tokens must name")
        static let teamID = OptionSpec(
            "team-id", value: "ID", category: .credentials,
            summary: "The team ID that provider tokens must name")
        static let providerTokenMaxAge = OptionSpec(
            "provider-token-max-age", value: "DURATION", category: .credentials,
            summary: "Answer 403 ExpiredProviderToken to provider tokens older than DURATION",
            longHelp: ["Measured from the token's iat in whole seconds (at least 1s); APNs allows one hour. "
                + "Needs --auth-key (only verified tokens have a trusted age)."],
            defaultText: DurationText.format(milliseconds: MockDefaults.providerTokenMaxAgeMs))
        static let expireTokenOnce = OptionSpec(
            "expire-token-once", category: .credentials,
            summary: "Answer 403 ExpiredProviderToken to the first request with the first provider token",
            longHelp: ["As if the first token the mock sees had aged out: its first request is refused, later ones "
                + "and every other token are answered as usual. A client must mint a new token once and resend. "
                + "(To refuse every token, as APNs does for a client whose clock is far off, use "
                + "--provider-token-max-age with a client clock that is wrong.)"])
        static let respond = OptionSpec(
            "respond", value: "PREFIX=STATUS:REASON[:K]", category: .responses,
            summary: "Answer tokens starting with PREFIX with STATUS and REASON (repeatable)",
            longHelp: ["PREFIX is lowercase hex and may be empty (every token); STATUS is 400 to 599; "
                + "REASON is an APNs reason such as BadDeviceToken. The longest matching prefix wins; "
                + "other tokens get 200.",
                "With K, only the first K requests for each matching token get the error; from the K+1st on "
                + "the token is answered as if no rule matched (so aa=429:TooManyRequests:2 answers 429 twice, "
                + "then 200). Requests are counted per token over all connections, whatever their answer; "
                + "the mock remembers the last 50,000 to 100,000 tokens it saw."],
            repeatable: true)
        static let silent = OptionSpec(
            "silent", value: "PREFIX", category: .responses,
            summary: "Never answer tokens starting with PREFIX (repeatable)",
            longHelp: ["The request is read in full and its stream stays open: the client waits until its own "
                + "timeout. PREFIX is lowercase hex. Takes precedence over every other rule."],
            repeatable: true)
        static let failRate = OptionSpec(
            "fail-rate", value: "P", category: .responses,
            summary: "Answer a fraction P (0 to 1) of accepted requests with 500 InternalServerError",
            longHelp: ["Decided per request, after every other rule, by a draw keyed by --seed, the token and "
                + "the attempt number (SplitMix64): the same seed fails the same requests on every run, in any "
                + "order and over any number of connections, and a retry of a failed token draws again (it "
                + "may succeed)."])
        static let timestamp = OptionSpec(
            "timestamp", value: "PREFIX=TEXT", category: .responses,
            summary: "Write TEXT verbatim as the timestamp of error answers for tokens starting with PREFIX "
                + "(repeatable)",
            longHelp: ["Applies to the answers of --respond rules: {\"reason\":\"Unregistered\",\"timestamp\":TEXT} "
                + "instead of the current time in milliseconds (410) or no timestamp (other statuses). For values "
                + "no clock gives, to test a client's parsing: 1e19, 1e400, -1e300, \"soon\". PREFIX is lowercase "
                + "hex (the longest matching prefix wins); TEXT is printable ASCII without spaces, not checked "
                + "as JSON."],
            repeatable: true)
        static let seed = OptionSpec(
            "seed", value: "N", category: .responses,
            summary: "Seed of the --fail-rate draws and of new channel ids",
            longHelp: ["With --manage-listen, channels get the same ids in the same order on every run."],
            defaultText: String(MockDefaults.seed))
        static let latency = OptionSpec(
            "latency", value: "DURATION", category: .responses,
            summary: "Delay every answer by DURATION",
            longHelp: ["Each answer is sent DURATION after its request arrived (a timer: other connections and "
                + "requests go on meanwhile). DURATION is a number with a unit: 20ms, 1s."])
        // Connection behaviour
        static let goAwayAfter = OptionSpec(
            "goaway-after", value: "N[:REASON]", category: .connection,
            summary: "Send GOAWAY after N requests on each connection",
            longHelp: ["When the Nth request on a connection has arrived, the mock sends GOAWAY with NO_ERROR, "
                + "last-stream-id = that request's stream and debug data {\"reason\":\"REASON\"} (default "
                + "Shutdown; letters and digits). Streams at or below it are answered; later ones are refused "
                + "(never processed: safe to send again). Once they are answered the mock closes the connection "
                + "(TLS close_notify, then TCP FIN). The client must reconnect to go on."])
        static let goAwayEvery = OptionSpec(
            "goaway-every", value: "N[:REASON]", category: .connection,
            summary: "Send GOAWAY on the connection that carries every Nth request of the mock",
            longHelp: ["Like --goaway-after, but N counts requests over all connections: the 500th, 1000th, ... "
                + "request the mock takes on ends its connection with GOAWAY (a connection that already sent "
                + "one sends no second). Not with --goaway-after."])
        static let dropAfter = OptionSpec(
            "drop-after", value: "N", category: .connection,
            summary: "Drop each connection once N requests on it are answered",
            longHelp: ["After writing the Nth answer the mock ends the TCP connection as --drop-mode says, with "
                + "no GOAWAY and no TLS close_notify. Requests that arrived after the Nth are never processed "
                + "or answered; the client cannot tell whether they were. Counted per connection. When a "
                + "GOAWAY falls on the same request, the drop wins."])
        static let dropEvery = OptionSpec(
            "drop-every", value: "N", category: .connection,
            summary: "Drop the connection that carries every Nth request of the mock",
            longHelp: ["Like --drop-after, but N counts requests over all connections: once the 1500th, 3000th, "
                + "... request the mock takes on is answered, its connection is dropped. With --goaway-after "
                + "500 --drop-every 1500 a campaign sees both, as a busy APNs would show them."])
        static let dropMode = OptionSpec(
            "drop-mode", value: "MODE", category: .connection,
            summary: "How --drop-after and --drop-every end a connection",
            longHelp: ["close: a TCP FIN after the last answer (the client reads every answer written, then end "
                + "of stream without TLS close_notify); what the client sends afterwards is read and thrown "
                + "away. Exact: the client always gets the N answers. reset: a TCP RST right after the last "
                + "answer is written (connection reset by peer); a client that is writing at that moment may "
                + "get the error before it reads the last answers, so the number of answers it sees can vary."],
            defaultText: MockDefaults.dropMode,
            completion: .choices(["close", "reset"]))
        static let closeOnConnect = OptionSpec(
            "close-on-connect", category: .connection,
            summary: "Close every connection right after its TLS handshake",
            longHelp: ["TLS close_notify and TCP FIN as soon as the handshake completes: no SETTINGS, no answer. "
                + "A client must not reconnect without pause (--stats: connections, handshakes)."])
        static let goAwayOnConnect = OptionSpec(
            "goaway-on-connect", category: .connection,
            summary: "Send GOAWAY right after SETTINGS on every connection",
            longHelp: ["GOAWAY with NO_ERROR, last-stream-id 0 and {\"reason\":\"Shutdown\"}, before any request: "
                + "every request is refused unprocessed, and the connection closes."])
        static let noSettings = OptionSpec(
            "no-settings", category: .connection,
            summary: "Never send SETTINGS (nor anything else) after the TLS handshake",
            longHelp: ["What the client sends is read and thrown away until it closes the connection; it waits in "
                + "vain for the server's connection preface."])
        static let stall = OptionSpec(
            "stall", value: "WHAT", category: .connection,
            summary: "Stall every connection: its TLS handshake, or its reads",
            longHelp: ["handshake: the TCP connection is accepted and what the client sends is read and thrown "
                + "away; the TLS handshake never answers. read: the handshake completes and SETTINGS is sent, "
                + "then the socket is never read again (requests pile up in TCP buffers, nothing is answered). "
                + "Not with --close-on-connect, --goaway-on-connect or --no-settings."],
            completion: .choices(["handshake", "read"]))
        static let outage = OptionSpec(
            "outage", value: "FROM..TO", category: .connection,
            summary: "A server-wide outage from FROM to TO after the mock started",
            longHelp: ["Durations with units, for example 10s..40s or 500ms..2m. What happens during it is "
                + "--outage-mode's choice; before and after, the mock serves as usual."])
        static let outageMode = OptionSpec(
            "outage-mode", value: "MODE", category: .connection,
            summary: "How --outage fails: 503 answers, or refused connections",
            longHelp: ["503: connections are accepted and every request is answered 503 ServiceUnavailable. "
                + "refuse: the mock stops listening (connections are refused) and closes the open connections "
                + "without GOAWAY; it listens on the same port again when the outage ends."],
            defaultText: MockDefaults.outageMode,
            completion: .choices(["503", "refuse"]))
        static let streamDrop = OptionSpec(
            "stream-drop", value: "MODE", category: .connection,
            summary: "Lower the connection's stream limit to 1 after a rejected request",
            longHelp: ["on: after any non-200 answer the connection's SETTINGS_MAX_CONCURRENT_STREAMS falls to 1, "
                + "and rises back to --max-streams after the next 200, as APNs does; streams a client opens "
                + "before it has acknowledged the new limit are refused. off: the limit stays at --max-streams "
                + "once the first request was accepted."],
            defaultText: MockDefaults.streamDrop,
            completion: .choices(["on", "off"]))
    }
}

extension CommandSpec {
    static let mock = CommandSpec(
        name: "mock",
        summary: "Run a local APNs-compatible server for tests and CI",
        synopsis: [
            "[--listen HOST:PORT] [--port-file FILE]",
            "[--environment sandbox|production]",
            "[--max-streams N] [--log FILE] [--stats FILE]",
            "[--tls-cert PEM --tls-key PEM | --write-ca FILE]",
            "[--require-client-cert PEM]",
            "[--auth-key FILE --key-id ID --team-id ID]",
            "[--provider-token-max-age DURATION] [--expire-token-once]",
            "[--respond PREFIX=STATUS:REASON[:K]...]",
            "[--silent PREFIX...] [--fail-rate P [--seed N]]",
            "[--timestamp PREFIX=TEXT...] [--latency DURATION]",
            "[--goaway-after N[:REASON] | --goaway-every N[:REASON]]",
            "[--drop-after N] [--drop-every N] [--drop-mode close|reset]",
            "[--stream-drop on|off]",
            "[--close-on-connect | --goaway-on-connect | --no-settings |",
            " --stall handshake|read]",
            "[--outage FROM..TO [--outage-mode 503|refuse]] [--quiet]",
            "[--manage-listen HOST:PORT [--manage-port-file FILE]]",
            "[--broadcast-disabled] [--channel-limit N]",
            "[--respond-channel PREFIX=STATUS:REASON[:K]...]",
            "[--respond-manage OP=STATUS:REASON[:K]...]",
        ],
        description: [
            "Serves the APNs provider API over TLS and HTTP/2 on a local address, answers each "
                + "notification as the --respond rules say (200 otherwise), and runs until interrupted. "
                + "Point `apnsctl send --endpoint` at it, with --ca-file naming the CA it wrote.",
            "For tests of a client's resilience it misbehaves on request, exactly and reproducibly: GOAWAY "
                + "or a connection reset after N requests, tokens never answered, a delay on every answer, "
                + "a seeded rate of 500 errors, errors for the first K attempts of a token, the stream limit "
                + "falling to 1 after a rejection, provider tokens expiring, client certificates required; "
                + "broken servers (closing or sending GOAWAY at once, no SETTINGS, no streams, stalled "
                + "handshakes or reads), timestamps no clock gives, and a timed outage. "
                + "--stats writes what it did when it stops.",
            "With --manage-listen it also emulates broadcast channels: the channel-management API on a second "
                + "port and POST /4/broadcasts/apps/BUNDLE on the push port, checked in the order APNs documents, "
                + "over one channel store per bundle id. One mock is one APNs environment (--environment).",
        ],
        operand: nil,
        options: [
            Mock.listen, Mock.portFile, Mock.environment, Mock.maxStreams, Mock.log, Mock.stats,
            Mock.tlsCert, Mock.tlsKey, Mock.writeCA, Mock.requireClientCert,
            Mock.authKey, Mock.keyID, Mock.teamID, Mock.providerTokenMaxAge, Mock.expireTokenOnce,
            Mock.respond, Mock.silent, Mock.failRate, Mock.seed, Mock.timestamp, Mock.latency,
            Mock.goAwayAfter, Mock.goAwayEvery, Mock.dropAfter, Mock.dropEvery, Mock.dropMode, Mock.streamDrop,
            Mock.closeOnConnect, Mock.goAwayOnConnect, Mock.noSettings, Mock.stall, Mock.outage, Mock.outageMode,
        ] + Mock.broadcastOptions + [.quiet, .help],
        examples: [
            CommandExample(
                description: "A CI smoke push: start the mock on a free port, send to one device with a "
                    + "throwaway key, check the exit status.",
                command: """
                    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \\
                        -out AuthKey_TEST000001.p8
                    apnsctl mock --listen 127.0.0.1:0 --port-file port --write-ca ca.pem &
                    while [ ! -s port ]; do sleep 0.1; done
                    token=740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad
                    apnsctl send --device "$token" \\
                        --payload '{"aps":{"alert":"smoke test"}}' --topic com.example.app \\
                        --key AuthKey_TEST000001.p8 --key-id TEST000001 --team-id TEAM000001 \\
                        --endpoint 127.0.0.1:"$(cat port)" --ca-file ca.pem
                    status=$?; kill %1; exit $status
                    """),
            CommandExample(
                description: "Reject tokens starting with dead as unregistered and every other token "
                    + "with a 503 (every token starts with the empty prefix).",
                command: """
                    apnsctl mock --respond dead=410:Unregistered \\
                        --respond =503:ServiceUnavailable
                    """),
            CommandExample(
                description: "A server that misbehaves like a busy APNs, for a client's resilience tests: GOAWAY "
                    + "after 500 requests on each connection, a reset every 1,500 requests, 2% answered 500 (the "
                    + "same ones every run), tokens starting aa answered 429 twice and then accepted; a summary "
                    + "at the end.",
                command: """
                    apnsctl mock --listen 127.0.0.1:0 --port-file port --write-ca ca.pem \\
                        --goaway-after 500 --drop-every 1500 --fail-rate 0.02 --seed 7 \\
                        --respond aa=429:TooManyRequests:2 --stats stats.json
                    """),
            CommandExample(
                description: "Broadcast channels: the management API on a second port, at most 100 channels per "
                    + "bundle, the same channel ids every run, broadcasts to channels whose id starts with AA "
                    + "answered 429 once.",
                command: """
                    apnsctl mock --listen 127.0.0.1:0 --port-file port --write-ca ca.pem \\
                        --manage-listen 127.0.0.1:0 --manage-port-file manage-port --seed 1 \\
                        --channel-limit 100 --respond-channel AA=429:TooManyRequests:1
                    """),
            CommandExample(
                description: "An APNs outage in the middle of a campaign: from 10 to 40 seconds after the start "
                    + "every request is answered 503 (or, with --outage-mode refuse, nothing listens).",
                command: """
                    apnsctl mock --listen 127.0.0.1:0 --port-file port --write-ca ca.pem \\
                        --outage 10s..40s --outage-mode 503 --stats stats.json
                    """),
        ])
}

private typealias Mock = OptionSpec.Mock
