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
func loadCredentials(_ options: SendOptions, environment: [String: String], now: Int64,
                     warn: (String) -> Void, log: EventLog?) throws(CredentialFailure) -> LoadedCredentials {
    switch options.credentials {
    case .none:
        return LoadedCredentials(authorization: NoAuthorization(), identity: nil, topic: options.topic)
    case .token(let keyFile, let keyID, let teamID):
        // The key file must hold the P-256 .p8 key; ids are 10 characters.
        do {
            let key = try ES256PrivateKey(pemFile: keyFile)
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
        if let path = files.passwordFile {
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
            identity = try ClientIdentity.load(certificateFile: files.certificate, keyFile: files.key, password: password)
        } catch {
            throw .fatal(error.description)
        }
        let info = identity.info
        log?("certificate \(files.certificate): \(info.summary)")
        if let warning = info.expiryWarning(now: now, source: files.certificate) { warn(warning) }
        guard let topic = options.topic ?? info.bundleID else {
            throw .usage("--topic is required: the certificate in \(files.certificate) names no bundle ID "
                + "(no UID in its subject)")
        }
        if let given = options.topic, !info.topics.isEmpty, !info.topics.contains(given) {
            warn("--topic \(given) is not among the topics of the certificate in \(files.certificate) "
                + "(\(info.topics.joined(separator: ", "))): APNs will answer TopicDisallowed")
        }
        return LoadedCredentials(authorization: CertificateAuthorization(), identity: identity, topic: topic)
    }
}
