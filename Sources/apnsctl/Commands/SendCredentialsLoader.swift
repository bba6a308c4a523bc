import Foundation
import PushCore

/// What `apnsctl send` authenticates with, loaded and checked before anything is read or sent.
struct LoadedCredentials {
    /// The `authorization` header's source: provider tokens, or nothing for certificate authentication.
    var authorization: AuthorizationSource
    /// The TLS client identity (certificate authentication only).
    var identity: ClientIdentity?
    /// The `apns-topic` for rows without one: `--topic`, else the certificate's bundle ID.
    var topic: String?
}

/// Why the credentials cannot be used: a usage mistake (exit 2) or an unusable file (exit 3).
enum CredentialFailure: Error {
    case usage(String)
    case fatal(String)
}

/// Loads the key or certificate that `options` name. `environment` supplies APNSCTL_CERT_PASSWORD; `now` (UNIX
/// seconds) dates the expiry warning; `warn` prints warnings, `log` the `-v` details (never a secret).
/// Before anything secret is read, core dumps are turned off for the process: a crash must not write the key
/// or a provider token to a core file.
func loadCredentials(_ options: SendOptions, environment: [String: String], now: Int64,
                     warn: (String) -> Void, log: EventLog?) throws(CredentialFailure) -> LoadedCredentials {
    if case .none = options.credentials {
        return LoadedCredentials(authorization: NoAuthorization(), identity: nil, topic: options.topic)
    }
    if let problem = CoreDumps.disable() { warn(problem) }
    switch options.credentials {
    case .none:
        return LoadedCredentials(authorization: NoAuthorization(), identity: nil, topic: options.topic)
    case .token(let keySource, let keyID, let teamID):
        // The key must be the P-256 .p8 key; ids are 10 characters.
        warnIfShared(keySource, what: "key", warn: warn)
        do {
            let key = try ES256PrivateKey(source: keySource)
            let tokens = try ProviderTokenSource(key: key, keyID: keyID, teamID: teamID)
            _ = try tokens.authorization()   // sign once now: a key that cannot sign fails before anything is read
            return LoadedCredentials(authorization: tokens, identity: nil, topic: options.topic)
        } catch let error as ProviderTokenError {
            throw .usage("\(error)")
        } catch {
            throw .fatal("\(error)")
        }

    case .certificate(let files):
        let password: String?
        // The certificate's file holds its key too, unless --cert-key names the key's own file.
        if let path = files.key {
            warnIfShared(.file(path), what: "certificate key", warn: warn)
        } else {
            warnIfShared(files.certificate, what: "certificate", warn: warn)
        }
        if let path = files.passwordFile {
            warnIfShared(.file(path), what: "password", warn: warn)
            do {
                password = CertificatePassword.fromFileContents(try FileIO.readAll(path: path, limit: 64 << 10))
            } catch {
                throw .fatal("--cert-password-file: \(error)")
            }
        } else {
            password = environment[CertificatePassword.environmentVariable]
        }
        let identity: ClientIdentity
        do {
            identity = try ClientIdentity.load(source: files.certificate, keyFile: files.key, password: password)
        } catch {
            throw .fatal(error.description)
        }
        let info = identity.info
        let source = files.certificate.label("certificate")
        log?("certificate \(source): \(info.summary)")
        if let warning = info.expiryWarning(now: now, source: source) { warn(warning) }
        let shown = files.certificate.isFile ? "the certificate in \(source)" : source
        guard let topic = options.topic ?? info.bundleID else {
            throw .usage("--topic is required: \(shown) names no bundle ID "
                + "(no UID in its subject)")
        }
        if let given = options.topic, !info.topics.isEmpty, !info.topics.contains(given) {
            warn("--topic \(given) is not among the topics of \(shown) "
                + "(\(info.topics.joined(separator: ", "))): APNs will answer TopicDisallowed")
        }
        return LoadedCredentials(authorization: CertificateAuthorization(), identity: identity, topic: topic)
    }
}

/// The ssh-style warning when a secret's file is readable by group or others (nothing for a value or stdin).
func warnIfShared(_ source: CredentialSource, what: String, warn: (String) -> Void) {
    guard case .file(let path) = source, let mode = FileIO.permissions(path),
          let warning = SecretFilePermissions.warning(path: path, mode: UInt32(mode), what: what) else { return }
    warn(warning)
}
