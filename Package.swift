// swift-tools-version:6.0
import PackageDescription

// apnsctl: batch pusher for the Apple Push Notification service.
// C libraries come from the system (Debian packages) through system-library targets;
// only Sources/PushCore/Interop imports them (PushMock reuses those wrappers).
let package = Package(
    name: "apnsctl",
    products: [
        .executable(name: "apnsctl", targets: ["apnsctl"]),
        .library(name: "PushCore", targets: ["PushCore"]),
        .library(name: "PushMock", targets: ["PushMock"]),
    ],
    targets: [
        .systemLibrary(name: "CNGHTTP2", path: "Sources/CNGHTTP2", pkgConfig: "libnghttp2",
                       providers: [.apt(["libnghttp2-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // The version and commit `make` stamps into a build (see scripts/version); empty for a plain `swift build`.
        .target(name: "CBuildStamp", path: "Sources/CBuildStamp"),
        .target(name: "PushCore", dependencies: ["CNGHTTP2", "COpenSSL", "CZlib", "CBuildStamp"]),
        .target(name: "PushMock", dependencies: ["PushCore"]),
        .executableTarget(name: "apnsctl", dependencies: ["PushCore", "PushMock"]),
        .testTarget(name: "PushCoreTests", dependencies: ["PushCore"]),
        .testTarget(name: "PushMockTests", dependencies: ["PushMock", "PushCore"]),
        .testTarget(name: "apnsctlTests", dependencies: ["apnsctl", "PushCore", "PushMock"]),
    ]
)

// Fuzz targets (libFuzzer), built only by `make fuzz` (APNSCTL_FUZZ=1, with -sanitize=fuzzer,address): one small
// executable per parser under Fuzz/. Left out of every other build, so `swift build` and `swift test` never see them.
if Context.environment["APNSCTL_FUZZ"] == "1" {
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/FuzzSupport"))
    for name in ["FuzzCSV", "FuzzJSON", "FuzzTemplate", "FuzzReport", "FuzzProxyResponse", "FuzzCertificate",
                 "FuzzConfigFile", "FuzzAPNsResponse"] {
        package.targets.append(.executableTarget(name: name, dependencies: ["PushCore", "FuzzSupport"],
                                                 path: "Fuzz/\(name)"))
    }
}
