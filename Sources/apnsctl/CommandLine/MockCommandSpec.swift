import PushCore

/// Defaults of `apnsctl mock`; the parser and the help text both read them from here.
enum MockDefaults {
    static let listen = Endpoint(host: "127.0.0.1", port: 2197)
    static let maxStreams = 1000
    static let maxStreamsRange = 1...Int(Int32.max)
    static let respondStatusRange = 400...599
}

extension OptionSpec {
    enum Mock {
        static let listen = OptionSpec(
            "listen", short: "l", value: "HOST:PORT", category: .server,
            summary: "Address to listen on; port 0 picks a free port",
            longHelp: ["An IPv6 address goes in brackets: [::1]:0."],
            defaultText: MockDefaults.listen.description)
        static let portFile = OptionSpec(
            "port-file", value: "FILE", category: .server,
            summary: "Write the port actually listened on to FILE once ready",
            longHelp: ["Useful with port 0: a script waits for the file, then reads the port."],
            completion: .file)
        static let maxStreams = OptionSpec(
            "max-streams", value: "N", category: .server,
            summary: "SETTINGS_MAX_CONCURRENT_STREAMS announced to clients",
            defaultText: String(MockDefaults.maxStreams))
        static let log = OptionSpec(
            "log", value: "FILE", category: .server,
            summary: "Append one line per request and its answer to FILE",
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
        static let respond = OptionSpec(
            "respond", value: "PREFIX=STATUS:REASON", category: .responses,
            summary: "Answer tokens starting with PREFIX with STATUS and REASON (repeatable)",
            longHelp: ["PREFIX is lowercase hex and may be empty (every token); STATUS is 400 to 599; "
                + "REASON is an APNs reason such as BadDeviceToken. The longest matching prefix wins; "
                + "other tokens get 200."],
            repeatable: true)
    }
}

extension CommandSpec {
    static let mock = CommandSpec(
        name: "mock",
        summary: "Run a local APNs-compatible server for tests and CI",
        synopsis: [
            "[--listen HOST:PORT] [--port-file FILE]",
            "[--max-streams N] [--log FILE]",
            "[--tls-cert PEM --tls-key PEM | --write-ca FILE]",
            "[--auth-key FILE --key-id ID --team-id ID]",
            "[--respond PREFIX=STATUS:REASON...] [--quiet]",
        ],
        description: [
            "Serves the APNs provider API over TLS and HTTP/2 on a local address, answers each "
                + "notification as the --respond rules say (200 otherwise), and runs until interrupted. "
                + "Point `apnsctl send --endpoint` at it, with --ca-file naming the CA it wrote.",
        ],
        operand: nil,
        options: [
            Mock.listen, Mock.portFile, Mock.maxStreams, Mock.log,
            Mock.tlsCert, Mock.tlsKey, Mock.writeCA,
            Mock.authKey, Mock.keyID, Mock.teamID,
            Mock.respond,
            .quiet, .help,
        ],
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
        ])
}

private typealias Mock = OptionSpec.Mock
