/// apnsctl's version, printed by `apnsctl --version` and sent nowhere else.
public enum APNsCtlVersion {
    public static let current = "0.1.0"
}
