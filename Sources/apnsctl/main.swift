import PushCore
print("apnsctl \(APNsCtlVersion.current)")
