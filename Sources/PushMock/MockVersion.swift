import PushCore

/// The server header value the mock sends; tells logs apart from real APNs.
enum MockIdentity {
    static let serverName = "apnsctl-mock/\(APNsCtlVersion.current)"
}
