/// What apnsctl reads from an APNs client certificate: who it is for, until when, and which topics it covers.
/// Plain values (extracted by `ClientIdentity`), so the rules below are tested without OpenSSL.
public struct CertificateInfo: Sendable, Equatable {
    /// Subject CN, e.g. `Apple Push Services: com.example.app`.
    public var commonName: String?
    /// Subject UID (OID 0.9.2342.19200300.100.1.1): the bundle ID in Apple's certificates.
    public var userID: String?
    /// End of validity, UNIX seconds (UTC).
    public var notAfter: Int64
    /// Topics from the extension 1.2.840.113635.100.6.3.6, in certificate order; empty when it is absent.
    public var extensionTopics: [String]

    /// A certificate expiring sooner than this is worth a warning (Apple's certificates last one year).
    public static let warningSeconds: Int64 = 30 * 86_400

    public init(commonName: String?, userID: String?, notAfter: Int64, extensionTopics: [String] = []) {
        self.commonName = commonName
        self.userID = userID
        self.notAfter = notAfter
        self.extensionTopics = extensionTopics
    }

    /// The app's bundle ID: the subject UID; else the part of the CN after `...Push Services: `; else the first
    /// topic of the extension. The default `apns-topic` with certificate authentication.
    public var bundleID: String? {
        if let userID, !userID.isEmpty { return userID }
        if let commonName, let colon = commonName.ranges(of: ": ").last,
           commonName[..<colon.lowerBound].contains("Push Services") {
            let id = commonName[colon.upperBound...]
            if !id.isEmpty { return String(id) }
        }
        return extensionTopics.first
    }

    /// Every topic the certificate may push to: the extension's list, else just the bundle ID.
    public var topics: [String] {
        if !extensionTopics.isEmpty { return extensionTopics }
        return bundleID.map { [$0] } ?? []
    }

    /// Where the validity stands at `now` (UNIX seconds).
    public enum Expiry: Equatable, Sendable {
        case valid
        /// Fewer than 30 days left (whole days, rounded down).
        case expiringSoon(daysLeft: Int)
        case expired
    }

    public func expiry(now: Int64) -> Expiry {
        if notAfter <= now { return .expired }
        let left = notAfter - now
        return left < Self.warningSeconds ? .expiringSoon(daysLeft: Int(left / 86_400)) : .valid
    }

    /// The day validity ends, `2026-05-01`.
    public var notAfterDate: String { String(RFC3339.format(epochMilliseconds: notAfter * 1000).prefix(10)) }

    /// A warning for stderr when the certificate has expired or expires within 30 days; nil otherwise.
    /// `source` names the file.
    public func expiryWarning(now: Int64, source: String) -> String? {
        switch expiry(now: now) {
        case .valid:
            return nil
        case .expired:
            return "the certificate in \(source) expired on \(notAfterDate): APNs will refuse the connection; "
                + "create a new one at developer.apple.com (Certificates, Identifiers & Profiles)"
        case .expiringSoon(let days):
            let when = days == 0 ? "today" : days == 1 ? "tomorrow" : "in \(days) days"
            return "the certificate in \(source) expires \(when) (\(notAfterDate)): renew it at developer.apple.com "
                + "before then"
        }
    }

    /// One line for `-v`: `Apple Push Services: com.example.app (UID com.example.app), topics a, b; valid until 2026-05-01`.
    public var summary: String {
        var text = commonName ?? "(no common name)"
        if let userID { text += " (UID \(userID))" }
        let list = topics
        if !list.isEmpty { text += ", topic\(list.count == 1 ? "" : "s") \(list.joined(separator: ", "))" }
        return text + "; valid until \(notAfterDate)"
    }
}
