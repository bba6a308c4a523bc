import Foundation
import PushCore
import PushMock

/// `apnsctl mock`: an APNs-compatible server on 127.0.0.1 for CI smoke pushes and tests.
func runMock(_ options: MockOptions) -> Int32 {
    let certificatePEM: String
    let keyPEM: String
    do {
        if let certFile = options.tlsCert, let keyFile = options.tlsKey {
            certificatePEM = try String(contentsOfFile: certFile, encoding: .utf8)
            keyPEM = try String(contentsOfFile: keyFile, encoding: .utf8)
        } else {
            let authority = try LocalCertificateAuthority.generate()
            certificatePEM = authority.serverCertificatePEM
            keyPEM = authority.serverKeyPEM
            if let caFile = options.writeCA {
                try writeAtomically(authority.caCertificatePEM, to: caFile)
            }
        }
    } catch {
        Output.standardError("apnsctl: mock: cannot set up TLS: \(error)\n")
        return ExitStatus.fatal.rawValue
    }

    var verifier: (@Sendable (String) -> Reason?)?
    if let keyFile = options.authKey, let keyID = options.keyID, let teamID = options.teamID {
        do {
            let key = try ES256PublicKey(pemFile: keyFile)
            verifier = ProviderTokenVerifier(keyID: keyID, teamID: teamID, key: key,
                                             maxAge: Int64(options.providerTokenMaxAge))
                .cachingCheck(now: ProviderTokenSource.wallClockSeconds)
        } catch {
            Output.standardError("apnsctl: mock: \(error)\n")
            return ExitStatus.fatal.rawValue
        }
    }

    let configuration = mockConfiguration(options, verifier: verifier)
    let server: MockServer
    let port: Int
    do {
        server = try MockServer(configuration: configuration, certificatePEM: certificatePEM, keyPEM: keyPEM)
        port = try server.start()
        // The management port first: a script that waits for --port-file finds both.
        if let portFile = options.managePortFile, let managePort = server.managePort {
            try writeAtomically("\(managePort)\n", to: portFile)
        }
        if let portFile = options.portFile { try writeAtomically("\(port)\n", to: portFile) }
    } catch {
        Output.standardError("apnsctl: mock: \(error)\n")
        return ExitStatus.fatal.rawValue
    }
    let bound = Endpoint(host: options.listen.host, port: port)
    Output.standardOutput("apnsctl mock: listening on \(bound)\n")
    if let manage = options.broadcast.manageListen, let managePort = server.managePort {
        Output.standardOutput("apnsctl mock: channel management on \(Endpoint(host: manage.host, port: managePort))\n")
    }
    server.stopOnSignals()
    server.run()
    if !options.quiet {
        Output.standardError("apnsctl mock: stopped after \(server.requestCount) requests "
            + "(\(server.acceptedCount) accepted, \(server.rejectedCount) rejected)\n")
    }
    return ExitStatus.success.rawValue
}

/// The server's configuration for `options` (pure apart from the verifier, which is built from files).
func mockConfiguration(_ options: MockOptions, verifier: (@Sendable (String) -> Reason?)?) -> MockConfiguration {
    var configuration = MockConfiguration(
        listen: options.listen, maxStreams: options.maxStreams, responseRules: options.respond,
        requireProviderToken: options.requireClientCert == nil, tokenVerifier: verifier,
        logPath: options.log, quiet: options.quiet,
        goAway: options.goAway, goAwayEvery: options.goAwayEvery, dropAfter: options.dropAfter,
        dropEvery: options.dropEvery, dropMode: options.dropMode, silentPrefixes: options.silent,
        latencyMs: options.latencyMs,
        failureRate: options.failRate.map { FailureRate(rate: $0, seed: UInt64(options.seed)) },
        dropStreamsOnRejection: options.streamDrop, expireProviderTokenOnce: options.expireTokenOnce,
        clientCertificateCAFile: options.requireClientCert, statsPath: options.stats,
        opening: options.opening, outage: options.outage, timestampRules: options.timestamps)
    configuration.broadcast = options.broadcast
    configuration.environment = options.environment
    return configuration
}

/// Writes via a temporary file and rename, so a reader polling for the file never sees it half written.
private func writeAtomically(_ text: String, to path: String) throws {
    let temporary = path + ".tmp-\(FileIO.processID)"
    try text.write(toFile: temporary, atomically: false, encoding: .utf8)
    do throws(FileIOError) {
        try FileIO.rename(temporary, to: path)
    } catch {
        FileIO.remove(temporary)
        throw error
    }
}
